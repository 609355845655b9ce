// Changes the server refuses because they would lock every admin out (issue 9, item 1). The
// desktop app signs in as `thetasecure-admin-console` (authorization code + PKCE, loopback
// redirect `http://127.0.0.1/callback` on any port, scopes clients:read clients:write); without
// it nobody can sign in to undo the change, and the only way back was wiping the data folder.
// A client that disables or deletes itself likewise cuts off the caller making the request.
import type { Client, ClientSettings } from '../shared/client.ts';
import { ADMIN_CONSOLE_CLIENT_ID, ADMIN_CONSOLE_REDIRECT_URI } from './provisioning.ts';

/**
 * The scopes the desktop app asks for when it signs in (electron/services/session.ts
 * SIGN_IN_SCOPES). The provider refuses an authorization request for a scope the client is not
 * registered for, so losing any of them stops every sign-in, not only the clients:* ones.
 */
export const ADMIN_CONSOLE_SCOPES = ['openid', 'profile', 'offline_access', 'clients:read', 'clients:write'] as const;

const SCOPE_LOSS: Record<(typeof ADMIN_CONSOLE_SCOPES)[number], string> = {
  openid: 'the desktop app signs in with OpenID Connect and asks for it, so every sign-in would be refused',
  profile: 'the desktop app asks for it, so every sign-in would be refused',
  offline_access: 'the desktop app asks for it, so every sign-in would be refused',
  'clients:read': 'a signed-in admin could no longer list clients, and the app asks for it, so every sign-in would be refused',
  'clients:write': 'a signed-in admin could no longer change clients (nor undo this change), and the app asks for it, so every sign-in would be refused',
};

/** The same URI in its parsed (WHATWG) form, so `HTTP://127.0.0.1/callback` counts as the loopback one. */
function sameUri(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

export function hasAdminConsoleRedirectUri(uris: readonly string[]): boolean {
  return uris.some((uri) => sameUri(uri, ADMIN_CONSOLE_REDIRECT_URI));
}

/** Why `settings` would leave the admin console unable to sign an admin in; empty when they would not. */
export function adminConsoleBreakage(settings: Pick<ClientSettings, 'status' | 'grantTypes' | 'redirectUris' | 'scopes'>): string[] {
  const breaks: string[] = [];
  if (settings.status !== 'active') breaks.push('Disabled, ThetaSecure Admin Console cannot sign anyone in: the app answers every sign-in with invalid_client.');
  if (!settings.grantTypes.includes('authorization_code')) {
    breaks.push('Without the Authorization Code grant, the desktop app cannot sign an admin in (it signs in with authorization code and PKCE).');
  }
  if (!hasAdminConsoleRedirectUri(settings.redirectUris)) {
    breaks.push(`Without the redirect URI ${ADMIN_CONSOLE_REDIRECT_URI} (any port), the sign-in cannot return to the desktop app.`);
  }
  for (const scope of ADMIN_CONSOLE_SCOPES) {
    if (!settings.scopes.includes(scope)) breaks.push(`Without the ${scope} scope, ${SCOPE_LOSS[scope]}.`);
  }
  return breaks;
}

export interface Lockout {
  type: string;
  title: string;
  detail: string;
  breaks: string[];
}

export const LOCKOUT_PROBLEM = {
  adminConsole: 'urn:thetasecure:problem:admin-console-required',
  selfLockout: 'urn:thetasecure:problem:client-cannot-lock-itself-out',
} as const;

/** Refusal for an update (`next` = the new settings) or a delete (`next` = null) of `existing`, by a token of `callerClientId`; null when allowed. */
export function lockoutOf(existing: Client, next: ClientSettings | null, callerClientId: string): Lockout | null {
  if (existing.clientId === ADMIN_CONSOLE_CLIENT_ID) {
    const breaks = next === null ? ['Deleted, ThetaSecure Admin Console cannot sign anyone in to the desktop app, and it is not re-created by a restart of a used data folder.'] : adminConsoleBreakage(next);
    if (breaks.length) {
      return {
        type: LOCKOUT_PROBLEM.adminConsole,
        title: 'This would lock every admin out',
        detail: `ThetaSecure Admin Console (${ADMIN_CONSOLE_CLIENT_ID}) is how admins sign in to ThetaSecure Admin; this ${next === null ? 'delete' : 'change'} was refused and nothing was saved. ${breaks.join(' ')}`,
        breaks,
      };
    }
  }
  const selfInflicted = existing.clientId === callerClientId && (next === null || (next.status !== 'active' && existing.status === 'active'));
  if (selfInflicted) {
    const what = next === null ? 'delete' : 'disable';
    const breaks = [`${existing.name} (${existing.clientId}) made this request with its own token: once ${what}d, it could not get another token to undo it.`];
    return {
      type: LOCKOUT_PROBLEM.selfLockout,
      title: `A client cannot ${what} itself`,
      detail: `${breaks[0]} Nothing was saved; ${what} it from another client or signed in as an admin.`,
      breaks,
    };
  }
  return null;
}
