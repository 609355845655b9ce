// The OAuth 2.0 / OpenID Connect provider: oidc-provider configured for ThetaSecure. It does the
// protocol; this file decides policy: which clients and scopes exist (the client store), how
// secrets are checked (hashes, constant time, only those active at the moment of the request),
// which client authentication methods and algorithms are allowed (no HS*, no client_secret_jwt:
// they would be keyed from the stored hash; private_key_jwt with RS256, ES256 or EdDSA), and what
// an access token for the admin API looks like (a JWT whose audience is `${issuer}/api`).
import Provider, { errors } from 'oidc-provider';
import type { AsymmetricSigningAlgorithm, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { BUILTIN_SCOPES } from '../shared/catalogs.ts';
import { secretStatusAt } from '../shared/client.ts';
import type { ClientStore } from './client-store.ts';
import { DEFAULT_SESSION_IDLE_MINUTES, DEFAULT_SESSION_MAX_HOURS } from './config.ts';
import { interactionPolicyWithConfirmation } from './continue-page.ts';
import { logoutSource, postLogoutSuccessSource } from './logout-pages.ts';
import { adapterFactory } from './oidc-adapter.ts';
import type { ModelRows } from './oidc-adapter.ts';
import { matchingSecret } from './secrets/secret-values.ts';
import type { ServerKeys } from './server-keys.ts';
import type { UserStore } from './user-store.ts';

/** OpenID Connect scopes: they are about the user, not the admin API. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
/** Every other catalog scope belongs to the admin API resource. */
export const API_SCOPES: readonly string[] = BUILTIN_SCOPES.map((scope) => scope.name).filter((name) => !(OIDC_SCOPES as readonly string[]).includes(name));

/** The resource indicator (and JWT `aud`) of the admin API. */
export function apiAudience(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/api`;
}

export const ACCESS_TOKEN_ALG = 'ES256';
const WITHOUT_HMAC: AsymmetricSigningAlgorithm[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
/** private_key_jwt assertions: the algorithms of the keys a client may register (shared/client-auth.ts). */
export const CLIENT_ASSERTION_ALGS: AsymmetricSigningAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;

export interface ProviderOptions {
  issuer: string;
  /** Where the provider's sessions, grants, codes and tokens are kept. */
  models: ModelRows;
  clients: ClientStore;
  users: UserStore;
  keys: ServerKeys;
  /** Lifetime of admin API access tokens, seconds (default one hour). */
  accessTokenTtlSeconds?: number;
  /** Browser session bounds: idle and absolute lifetime (defaults 30 minutes and 8 hours). */
  sessionIdleSeconds?: number;
  sessionMaxSeconds?: number;
  /** The clock secrets expire and retire by (default: the system clock). */
  now?: () => Date;
  /**
   * How the provider fetches outside resources (a private_key_jwt client's jwksUri). Default:
   * oidc-provider's own, which refuses loopback and private addresses (SSRF). Tests pass one that
   * trusts their own certificate authority.
   */
  fetch?: Configuration['fetch'];
  /** Told of every token the token endpoint issues, with the secret that authenticated it (last use). */
  onTokenIssued?: (clientId: string, secretId: string | null) => void;
}

/** Where compareClientSecret leaves the id of the secret that matched, for onTokenIssued. */
const MATCHED_SECRET = 'thetasecureSecretId';

/**
 * Seconds a browser session may live from now: at most `idle` (every request that uses the
 * session saves it again, so this is an idle timeout), and never past `max` after the sign-in.
 */
export function sessionTtl(loginTs: number | undefined, nowSeconds: number, idle: number, max: number): number {
  if (!loginTs) return idle;
  return Math.max(1, Math.min(idle, loginTs + max - nowSeconds));
}

function clientApiScopes(scope: string | undefined): string[] {
  const allowed = new Set(scope?.split(' ') ?? []);
  return API_SCOPES.filter((name) => allowed.has(name));
}

function mayHoldRefreshTokens(client: { grantTypeAllowed(type: string): boolean; scope?: string | undefined } | undefined): boolean {
  return !!client && client.grantTypeAllowed('refresh_token') && (client.scope?.split(' ') ?? []).includes('offline_access');
}

export function createProvider(options: ProviderOptions): Provider {
  const audience = apiAudience(options.issuer);
  const accessTokenTtl = options.accessTokenTtlSeconds ?? 3600;
  const sessionIdle = options.sessionIdleSeconds ?? DEFAULT_SESSION_IDLE_MINUTES * 60;
  const sessionMax = options.sessionMaxSeconds ?? DEFAULT_SESSION_MAX_HOURS * 3600;

  const configuration: Configuration = {
    adapter: adapterFactory(options.models, options.clients),
    jwks: options.keys.jwks,
    cookies: {
      keys: options.keys.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    clientAuthMethods: [...CLIENT_AUTH_METHODS],
    ...(options.fetch ? { fetch: options.fetch } : {}),
    enabledJWA: {
      clientAuthSigningAlgValues: CLIENT_ASSERTION_ALGS,
      requestObjectSigningAlgValues: WITHOUT_HMAC,
      idTokenSigningAlgValues: WITHOUT_HMAC,
      userinfoSigningAlgValues: WITHOUT_HMAC,
      introspectionSigningAlgValues: WITHOUT_HMAC,
      authorizationSigningAlgValues: WITHOUT_HMAC,
    },
    responseTypes: ['code'],
    // Every catalog scope, so that a client's registered `scope` may name the API scopes too
    // (oidc-provider checks client metadata against this list); the API scopes reach tokens
    // only through the resource server below.
    scopes: BUILTIN_SCOPES.map((scope) => scope.name),
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
    },
    pkce: { required: () => true },
    clientBasedCORS: () => false,
    features: {
      devInteractions: { enabled: false },
      // Sign-out in the app ends this server's browser session too (issue 9 item 2).
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      clientCredentials: { enabled: true },
      revocation: {
        enabled: true,
        // A client may revoke only its own tokens. (JWT access tokens are not stored and cannot be
        // revoked: the answer is unsupported_token_type; revoking the refresh token ends the grant.)
        allowedPolicy: (_ctx, client, token) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      resourceIndicators: {
        enabled: true,
        // Clients need not name the admin API: it is the only resource, and the default one.
        defaultResource: (_ctx, client, oneOf) => {
          if (oneOf) return oneOf.includes(audience) ? audience : undefined;
          return clientApiScopes(client.scope).length ? audience : undefined;
        },
        getResourceServerInfo: (_ctx, resourceIndicator, client) => {
          const scopes = clientApiScopes(client.scope);
          if (resourceIndicator !== audience || scopes.length === 0) {
            throw new errors.InvalidTarget(`this client may not request tokens for ${resourceIndicator}`);
          }
          return {
            scope: scopes.join(' '),
            audience,
            accessTokenTTL: accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: ACCESS_TOKEN_ALG } },
          };
        },
        useGrantedResource: () => true,
      },
    },
    async findAccount(_ctx, sub) {
      const user = await options.users.find(sub);
      if (!user) return undefined;
      return {
        accountId: user.username,
        async claims() {
          return { sub: user.username, name: user.name, preferred_username: user.username };
        },
      };
    },
    // OpenID Connect drops `offline_access` from a request without prompt=consent, and by default
    // a refresh token needs it. Only the first-party default clients can hold the refresh_token
    // grant (it is Coming Soon for custom clients), so a client holding that grant and registered
    // for offline_access gets a refresh token, and it outlives the browser session.
    async issueRefreshToken(_ctx, client) {
      return mayHoldRefreshTokens(client);
    },
    async expiresWithSession(ctx) {
      return !mayHoldRefreshTokens(ctx.oidc.client);
    },
    // Tells the admin API whether a token speaks for a signed-in user or for a client itself.
    async extraTokenClaims(_ctx, token) {
      return { ts_principal: token.kind === 'ClientCredentials' ? 'client' : 'user' };
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      // No silent authorization for public native clients (continue-page.ts).
      policy: interactionPolicyWithConfirmation(sessionMax),
    },
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 15 * 60,
      // Bounded (issue 9, item 3): a session that outlived its user at the desk is not reused.
      Session: (_ctx, session) => sessionTtl(session.loginTs, Math.floor(Date.now() / 1000), sessionIdle, sessionMax),
      Grant: 30 * 24 * 3600,
      RefreshToken: 30 * 24 * 3600,
    },
    async renderError(ctx: KoaContextWithOIDC, out, _error) {
      ctx.type = 'html';
      ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
      const text = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error · ThetaSecure</title></head>
<body><main><h1>Sign-in could not continue</h1><p>${text(out.error)}: ${text(out.error_description)}</p>
<p>Close this page and start the sign-in again from the application.</p></main></body></html>`;
    },
  };

  const provider = new Provider(options.issuer, configuration);

  // Secrets are stored as SHA-256 hashes: hash the presented secret and compare, in constant time,
  // with every secret that is active at this moment by the server's clock (an expired one, or one
  // whose overlap window has ended, is refused at once; no timer is involved). Architecture §7
  // names this hook. The matched secret's id goes on the request for last-use recording.
  const now = options.now ?? (() => new Date());
  provider.Client.prototype.compareClientSecret = async function compareClientSecret(this: { clientId: string }, actual: string) {
    const found = await options.clients.getWithSecretHashes(this.clientId);
    if (!found) return false;
    const at = now().toISOString();
    const matched = matchingSecret(actual, found.secrets.filter((secret) => secretStatusAt(secret, at) === 'active'));
    if (matched === null) return false;
    const ctx = Provider.ctx;
    if (ctx) (ctx.state as Record<string, unknown>)[MATCHED_SECRET] = matched;
    return true;
  };
  if (options.onTokenIssued) {
    const onTokenIssued = options.onTokenIssued;
    provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
      const clientId = ctx.oidc.client?.clientId;
      if (clientId) onTokenIssued(clientId, ((ctx.state as Record<string, unknown>)[MATCHED_SECRET] as string | undefined) ?? null);
    });
  }

  return provider;
}
