// Who is calling the admin API. A bearer JWT from this server (verified with jose against the
// server's own JWKS: issuer, audience `${issuer}/api`, type at+jwt, expiry), then checked against
// the current state: the client must still be active, a user must still exist, and a user's
// scopes are cut to what their role allows today.
import { createLocalJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import type { ClientStore } from './client-store.ts';
import { ACCESS_TOKEN_ALG } from './provider.ts';
import { ROLE_SCOPES } from './user-store.ts';
import type { UserStore } from './user-store.ts';

export interface Principal {
  kind: 'user' | 'client';
  /** The user name, or the client id for client_credentials tokens. */
  subject: string;
  name: string;
  roles: string[];
  /** The client the token was issued to. */
  clientId: string;
  scopes: string[];
}

/** `expiresAt`: the token's `exp` in milliseconds since the epoch (a stream ends then). */
export type VerifyResult = { ok: true; principal: Principal; expiresAt: number } | { ok: false; reason: string };

export interface AccessTokenVerifierOptions {
  issuer: string;
  audience: string;
  jwks: JSONWebKeySet;
  clients: ClientStore;
  users: UserStore;
}

export function createAccessTokenVerifier(options: AccessTokenVerifierOptions) {
  const keys = createLocalJWKSet(options.jwks);

  return async function verify(token: string): Promise<VerifyResult> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        typ: 'at+jwt',
        algorithms: [ACCESS_TOKEN_ALG],
        requiredClaims: ['exp', 'sub', 'client_id'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { ok: false, reason: 'The access token has expired.' };
      if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'aud') return { ok: false, reason: 'The access token is not meant for this API.' };
      return { ok: false, reason: 'The access token is not valid.' };
    }
    const clientId = String(payload.client_id);
    const expiresAt = Number(payload.exp) * 1000;
    const subject = String(payload.sub);
    const tokenScopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];

    // The token endpoint's cached lookup: every client write clears it, in every process (on
    // PostgreSQL it is confirmed by one tiny read per request), so a client disabled a moment ago
    // is refused here too, without reading its whole row on each API call.
    const client = (await options.clients.getWithSecretHashes(clientId))?.client;
    if (!client || client.status !== 'active') return { ok: false, reason: 'The client this token was issued to is disabled or deleted.' };

    if (payload.ts_principal === 'client') {
      const current = new Set(client.scopes);
      return {
        ok: true,
        expiresAt,
        principal: { kind: 'client', subject, name: client.name, roles: [], clientId, scopes: tokenScopes.filter((scope) => current.has(scope)) },
      };
    }
    const user = await options.users.find(subject);
    if (!user) return { ok: false, reason: 'The user of this token no longer exists.' };
    const allowed = new Set(ROLE_SCOPES[user.role].filter((scope) => client.scopes.includes(scope)));
    return {
      ok: true,
      expiresAt,
      principal: { kind: 'user', subject, name: user.name, roles: [user.role], clientId, scopes: tokenScopes.filter((scope) => allowed.has(scope)) },
    };
  };
}

export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;
