// "Continue to <app> as <user>?" (issue 9, item 3; RFC 8252 §8.6). A public native client (no
// secret, PKCE) cannot be told apart from any other local program that uses its client id and a
// loopback port, so an authorization for it never completes without a person acting on the
// server's own page. A fresh sign-in with a password is that action; when a browser session
// already exists, this page is: it names the app, the user, and the local port the browser will
// return to, with Continue and Cancel.
import { interactionPolicy } from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { escapeHtml } from './http-util.ts';

export const CONFIRMATION_REASON = 'native_client_confirmation';

/**
 * The interaction policy: the provider's default prompts, plus the confirmation for public
 * clients, plus a fresh sign-in once the session is older than `sessionMaxSeconds` (its expiry
 * already stops it then; this covers the one request that arrives in its last second).
 */
export function interactionPolicyWithConfirmation(sessionMaxSeconds: number): ReturnType<typeof interactionPolicy.base> {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(
    new interactionPolicy.Check('session_too_old', 'the browser session is older than its absolute lifetime', 'login_required', (ctx: KoaContextWithOIDC) => {
      const loginTs = ctx.oidc.session?.loginTs;
      const result = ctx.oidc.result as { login?: unknown } | undefined;
      if (!loginTs || result?.login) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      return Math.floor(Date.now() / 1000) - loginTs >= sessionMaxSeconds ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
    }),
  );
  policy.get('consent')!.checks.add(
    new interactionPolicy.Check(CONFIRMATION_REASON, 'a public native client needs the user to confirm on the server page', 'interaction_required', (ctx: KoaContextWithOIDC) => {
      if (ctx.oidc.client?.clientAuthMethod !== 'none') return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      // Back from this server's page in this same authorization: a password just typed, or Continue.
      const result = ctx.oidc.result as { login?: unknown; consent?: unknown } | undefined;
      if (result?.login || result?.consent) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      return interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );
  return policy;
}

/** Where the browser goes after Continue, in words: a local port, or an app's own scheme. */
export function returnTarget(redirectUri: unknown): string {
  if (typeof redirectUri !== 'string') return 'the application';
  try {
    const url = new URL(redirectUri);
    if (url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost')) {
      return `a program on this computer listening on local port ${url.port || '80'}`;
    }
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
    return `the app that opens ${url.protocol} links on this device`;
  } catch {
    return 'the application';
  }
}

export function continueForm(uid: string, clientName: string, userName: string, username: string, redirectUri: unknown): string {
  const base = `/interaction/${encodeURIComponent(uid)}`;
  return `<h1>Continue to ${escapeHtml(clientName)} as ${escapeHtml(userName)}?</h1>
<p>You are signed in to ThetaSecure as <strong>${escapeHtml(userName)}</strong> (${escapeHtml(username)}). ${escapeHtml(clientName)} is asking to sign you in.</p>
<p>If you continue, your browser returns to ${escapeHtml(returnTarget(redirectUri))}. If you did not just start a sign-in, choose Cancel.</p>
<form method="post" action="${base}/continue">
<button type="submit" autofocus>Continue</button>
</form>
<form method="post" action="${base}/cancel">
<button type="submit" class="secondary">Cancel</button>
</form>`;
}
