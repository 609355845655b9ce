// The baseline of the token throughput comparison: oidc-provider (the same installed version) with
// nothing of ours around it. Its one client is held in memory with a plain secret (the library's
// own comparison), models live in the default in-memory adapter, and there is no request log.
// Token settings mirror server/provider.ts: client_credentials, client_secret_basic, a resource
// indicator defaulting to `${issuer}/api`, JWT access tokens signed ES256, the same TTL and the
// same extra claim, so that both servers do the same protocol work per token.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import type { JWK } from 'oidc-provider';
import { BUILTIN_SCOPES } from '../shared/catalogs.ts';
import { ACCESS_TOKEN_ALG, apiAudience } from '../server/provider.ts';

export interface BareClient {
  clientId: string;
  clientSecret: string;
  scope: string;
}

export interface BareProviderServer {
  url: string;
  close(): Promise<void>;
}

function signingKey(type: 'rsa' | 'ec', alg: string): JWK {
  const { privateKey } = type === 'rsa' ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }) : crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: `${type}-bench`, alg, use: 'sig' };
}

export async function startBareProvider(client: BareClient, accessTokenTtlSeconds = 3600): Promise<BareProviderServer> {
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handle(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const audience = apiAudience(issuer);
  const apiScopes = client.scope.split(' ').filter((scope) => scope.includes(':'));

  const provider = new Provider(issuer, {
    jwks: { keys: [signingKey('rsa', 'RS256'), signingKey('ec', ACCESS_TOKEN_ALG)] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: client.scope,
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    clientAuthMethods: ['client_secret_basic', 'none'],
    responseTypes: ['code'],
    scopes: BUILTIN_SCOPES.map((scope) => scope.name),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => (oneOf ? (oneOf.includes(audience) ? audience : undefined) : audience),
        getResourceServerInfo: () => ({
          scope: apiScopes.join(' '),
          audience,
          accessTokenTTL: accessTokenTtlSeconds,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: ACCESS_TOKEN_ALG } },
        }),
        useGrantedResource: () => true,
      },
    },
    async extraTokenClaims(_ctx, token) {
      return { ts_principal: token.kind === 'ClientCredentials' ? 'client' : 'user' };
    },
    ttl: { AccessToken: accessTokenTtlSeconds, ClientCredentials: accessTokenTtlSeconds },
  });
  const callback = provider.callback();
  handle = (req, res) => void callback(req, res);

  return {
    url: issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
