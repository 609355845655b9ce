// The provider's end-session pages (OpenID Connect RP-Initiated Logout 1.0), in the login page's
// style, with their own strict CSP. When the app signs out it opens the end-session endpoint with
// the ID token of its session as id_token_hint: if that token names the user this browser is
// signed in as, the page ends the session at once (a one-line script posts the provider's form;
// without JavaScript a "Sign out" button does) — the user already chose "Sign out" in the app,
// and asking again would leave the session alive whenever the tab is simply closed. Without such
// a hint (a link from elsewhere, another user signed in since), it asks first, as the
// specification requires.
import crypto from 'node:crypto';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { escapeHtml } from './http-util.ts';

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { width: min(24rem, 92vw); padding: 2rem; border: 1px solid GrayText; border-radius: 0.75rem; }
  h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
  p { margin: 0 0 1rem; }
  button { margin-top: 0.75rem; width: 100%; padding: 0.65rem; font: inherit; font-weight: 600; border: 0; border-radius: 0.4rem; background: #1d4ed8; color: #fff; cursor: pointer; }
  button.secondary { background: transparent; color: CanvasText; border: 1px solid GrayText; }
  button:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
`;
const AUTO_SUBMIT = "document.getElementById('logout-form').submit();";
const hash = (text: string) => `'sha256-${crypto.createHash('sha256').update(text).digest('base64')}'`;
const STYLE_HASH = hash(STYLE);
const AUTO_SUBMIT_HASH = hash(AUTO_SUBMIT);

export const SIGNED_OUT_TEXT = 'Signed out of ThetaSecure — you can close this tab.';

function render(ctx: KoaContextWithOIDC, title: string, body: string, script: boolean): void {
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.set(
    'Content-Security-Policy',
    ["default-src 'none'", `style-src ${STYLE_HASH}`, script ? `script-src ${AUTO_SUBMIT_HASH}` : '', "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"].filter(Boolean).join('; '),
  );
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
${script ? `<script>${AUTO_SUBMIT}</script>` : ''}
</body>
</html>
`;
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
