// Test helper: the desktop app's sign-in as a user, with openid-client v6 (authorization code,
// PKCE S256, state, nonce) through the real login page, redirected to a loopback listener on a
// random port.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { ADMIN_CONSOLE_CLIENT_ID } from '../provisioning.ts';
import { completeLoginOverHttp } from './login-over-http.ts';

export interface LoopbackListener {
  redirectUri: string;
  /** Request URLs (path and query) the listener received. */
  received: string[];
  close(): Promise<void>;
}

export async function startLoopbackListener(): Promise<LoopbackListener> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    received.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end('Signed in. You can close this window.');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function discoverAdminConsole(issuer: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), ADMIN_CONSOLE_CLIENT_ID, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
}

export interface SignInResult {
  callbackUrl: string;
  tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
}

export async function signInWithPkce(
  config: oidc.Configuration,
  listener: LoopbackListener,
  credentials: { username: string; password: string },
  scope = 'openid profile offline_access clients:read clients:write',
): Promise<SignInResult> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: listener.redirectUri,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  const { callbackUrl } = await completeLoginOverHttp(authorizationUrl.href, credentials);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(callbackUrl), { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce });
  return { callbackUrl, tokens };
}
