// The provider's end-session pages (OpenID Connect RP-Initiated Logout 1.0), in the login page's
// style, with their own strict CSP. When the app signs out it opens the end-session endpoint with
// the ID token of its session as id_token_hint: if that token names the user this browser is
// signed in as, the page ends the session at once (a one-line script posts the provider's form;
// without JavaScript a "Sign out" button does) — the user already chose "Sign out" in the app,
// and asking again would leave the session alive whenever the tab is simply closed. Without such
// a hint (a link from elsewhere, another user signed in since), it asks first, as the
// specification requires.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { pageDocument, pageHeaders } from './html-page.ts';
import { escapeHtml } from './http-util.ts';

const AUTO_SUBMIT = "document.getElementById('logout-form').submit();";

export const SIGNED_OUT_TEXT = 'Signed out of ThetaSecure — you can close this tab.';

function render(ctx: KoaContextWithOIDC, title: string, body: string, script: boolean): void {
  const options = script ? { script: AUTO_SUBMIT } : {};
  ctx.set(pageHeaders(options));
  ctx.body = pageDocument(title, body, options);
}

/** `features.rpInitiatedLogout.logoutSource`: the provider has already validated any id_token_hint. */
export async function logoutSource(ctx: KoaContextWithOIDC): Promise<void> {
  const action = escapeHtml(ctx.oidc.urlFor('end_session_confirm'));
  const xsrf = escapeHtml(String((ctx.oidc.session?.state as { secret?: unknown } | undefined)?.secret ?? ''));
  const hint = (ctx.oidc.entities as { IdTokenHint?: { payload?: { sub?: unknown } } }).IdTokenHint;
  const accountId = ctx.oidc.session?.accountId;
  const hinted = typeof hint?.payload?.sub === 'string' && hint.payload.sub === accountId;
  if (hinted) {
    render(
      ctx,
      'Signing out · ThetaSecure',
      `<h1>Signing out of ThetaSecure…</h1>
<form id="logout-form" method="post" action="${action}">
<input type="hidden" name="xsrf" value="${xsrf}">
<input type="hidden" name="logout" value="yes">
<noscript><button type="submit">Sign out</button></noscript>
</form>`,
      true,
    );
    return;
  }
  render(
    ctx,
    'Sign out · ThetaSecure',
    `<h1>Sign out of ThetaSecure?</h1>
<p>This browser is signed in to ThetaSecure as ${escapeHtml(accountId ?? 'someone')}. Signing out means the next sign-in asks for a password.</p>
<form id="logout-form" method="post" action="${action}">
<input type="hidden" name="xsrf" value="${xsrf}">
<button type="submit" name="logout" value="yes" autofocus>Sign out</button>
<button type="submit" class="secondary">Stay signed in</button>
</form>`,
    false,
  );
}

/** `features.rpInitiatedLogout.postLogoutSuccessSource`: a `client_id` here means the user chose to stay signed in. */
export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  if (ctx.oidc.params?.client_id) {
    render(ctx, 'Still signed in · ThetaSecure', `<h1>You are still signed in to ThetaSecure</h1>\n<p>The application was signed out; this browser stays signed in. You can close this tab.</p>`, false);
    return;
  }
  render(ctx, 'Signed out · ThetaSecure', `<h1>${escapeHtml(SIGNED_OUT_TEXT)}</h1>`, false);
}
