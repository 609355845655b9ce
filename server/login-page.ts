// The sign-in page at the provider's interaction route (/interaction/:uid). Plain server-rendered
// HTML with a form that works without JavaScript; its own strict CSP. Consent is granted
// automatically: "Require User Consent" is Coming Soon in the product, so no client has it on,
// and the first-party default clients never ask.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { ClientStore } from './client-store.ts';
import { BodyTooLargeError, escapeHtml, mediaType, readBody } from './http-util.ts';
import type { LoginAttempts } from './login-throttle.ts';
import { CONFIRMATION_REASON, continueForm } from './continue-page.ts';
import { pageDocument, pageHeaders } from './html-page.ts';
import { FORM_BODY_LIMIT, drainRequest } from './oversized-body.ts';
import { OIDC_SCOPES } from './provider.ts';
import { ROLE_SCOPES } from './user-store.ts';
import type { UserStore } from './user-store.ts';

interface PageOptions {
  /** Where the form's submission may end up: this server, then the client's redirect URI. */
  formAction: string;
  status: number;
  headers?: Record<string, string>;
}

/** `form-action` source for the client's redirect URI: the sign-in redirects there after the POST. */
export function redirectTargetSource(redirectUri: unknown): string {
  if (typeof redirectUri !== 'string') return '';
  try {
    const url = new URL(redirectUri);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
    return url.protocol; // a private-use scheme such as com.example.app:
  } catch {
    return '';
  }
}

function sendPage(res: ServerResponse, title: string, body: string, options: PageOptions): void {
  const html = pageDocument(title, body);
  res.writeHead(options.status, { ...pageHeaders({ formAction: options.formAction }), 'Content-Length': Buffer.byteLength(html), ...options.headers });
  res.end(html);
}

function loginForm(uid: string, clientName: string, username: string, error: string | null): string {
  const errorBlock = error ? `<p class="error" id="login-error" role="alert">${escapeHtml(error)}</p>` : '';
  const described = error ? ' aria-describedby="login-error" aria-invalid="true"' : '';
  return `<h1>Sign in to ThetaSecure</h1>
<p>to continue to ${escapeHtml(clientName)}</p>
${errorBlock}
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(username)}"${described}${username ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described}${username ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
</form>`;
}

export interface LoginRoutesOptions {
  provider: Provider;
  clients: ClientStore;
  users: UserStore;
  throttle: LoginAttempts;
  /** Called with the client a request concerns, for the request log. */
  noteClient: (req: IncomingMessage, clientId: string) => void;
}

/** Handles `/interaction/...`; returns false for paths it does not own. */
export function createLoginRoutes(options: LoginRoutesOptions) {
  const { provider, clients, users, throttle } = options;

  async function clientName(clientId: unknown): Promise<string> {
    if (typeof clientId !== 'string') return 'the application';
    return (await clients.get(clientId))?.name ?? clientId;
  }

  function sendExpired(res: ServerResponse): void {
    sendPage(
      res,
      'Sign-in expired · ThetaSecure',
      `<h1>This sign-in has expired</h1>
<p role="alert">The sign-in page was open too long, or it was opened in another browser. Start the sign-in again from the application.</p>`,
      { status: 400, formAction: '' },
    );
  }

  /** Grants the requested scopes the user's role allows, then lets the provider redirect to the client. */
  async function grantConsent(req: IncomingMessage, res: ServerResponse, details: Awaited<ReturnType<Provider['interactionDetails']>>): Promise<void> {
    const accountId = details.session?.accountId;
    const clientId = details.params.client_id as string;
    const user = accountId ? await users.find(accountId) : null;
    if (!accountId || !user) throw new errors.SessionNotFound('the signed-in user no longer exists');
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
    if (!grant) throw new errors.SessionNotFound('grant not found');
    const promptDetails = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    // API scopes are granted per resource below (by role), never as OpenID Connect scopes; a
    // rejected scope counts as answered, so the user is not asked again.
    const isOidcScope = (scope: string) => (OIDC_SCOPES as readonly string[]).includes(scope);
    const missingOidc = promptDetails.missingOIDCScope ?? [];
    if (missingOidc.some(isOidcScope)) grant.addOIDCScope(missingOidc.filter(isOidcScope).join(' '));
    if (missingOidc.some((scope) => !isOidcScope(scope))) grant.rejectOIDCScope(missingOidc.filter((scope) => !isOidcScope(scope)).join(' '));
    if (promptDetails.missingOIDCClaims?.length) grant.addOIDCClaims(promptDetails.missingOIDCClaims);
    const allowed = new Set(ROLE_SCOPES[user.role]);
    for (const [resource, scopes] of Object.entries(promptDetails.missingResourceScopes ?? {})) {
      // A helpdesk user asking for clients:write simply does not get it.
      const granted = scopes.filter((scope) => allowed.has(scope));
      const refused = scopes.filter((scope) => !allowed.has(scope));
      if (granted.length) grant.addResourceScope(resource, granted.join(' '));
      if (refused.length) grant.rejectResourceScope(resource, refused.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  async function show(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const clientId = details.params.client_id;
    if (typeof clientId === 'string') options.noteClient(req, clientId);
    const formAction = redirectTargetSource(details.params.redirect_uri);
    if (details.prompt.name === 'login') {
      sendPage(res, 'Sign in · ThetaSecure', loginForm(details.uid, await clientName(clientId), '', null), { status: 200, formAction });
      return;
    }
    if (details.prompt.name === 'consent') {
      const lastLogin = (details.lastSubmission as { login?: unknown } | undefined)?.login;
      if (details.prompt.reasons.includes(CONFIRMATION_REASON) && !lastLogin) {
        // An existing browser session and a public native client: ask, never complete silently.
        const accountId = details.session?.accountId;
        const user = accountId ? await users.find(accountId) : null;
        if (!user) throw new errors.SessionNotFound('the signed-in user no longer exists');
        sendPage(res, 'Continue · ThetaSecure', continueForm(details.uid, await clientName(clientId), user.name, user.username, details.params.redirect_uri), { status: 200, formAction });
        return;
      }
      await grantConsent(req, res, details);
      return;
    }
    throw new errors.InvalidRequest(`unsupported interaction prompt ${details.prompt.name}`);
  }

  async function submitLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const clientId = details.params.client_id;
    if (typeof clientId === 'string') options.noteClient(req, clientId);
    const formAction = redirectTargetSource(details.params.redirect_uri);
    const name = await clientName(clientId);
    if (details.prompt.name !== 'login') {
      await show(req, res);
      return;
    }
    if (mediaType(req) !== 'application/x-www-form-urlencoded') {
      sendPage(res, 'Sign in · ThetaSecure', loginForm(details.uid, name, '', 'Send the form from the sign-in page.'), { status: 415, formAction });
      return;
    }
    const form = new URLSearchParams(await readBody(req, FORM_BODY_LIMIT));
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    if (!username || !password) {
      const missing = !username ? 'Enter your username.' : 'Enter your password.';
      sendPage(res, 'Sign in · ThetaSecure', loginForm(details.uid, name, username, missing), { status: 400, formAction });
      return;
    }
    // Reserved before the (slow) password hash, so concurrent guesses cannot all get through.
    const wait = await throttle.reserve(username);
    if (wait > 0) {
      const minutes = Math.ceil(wait / 60);
      sendPage(
        res,
        'Too many attempts · ThetaSecure',
        loginForm(details.uid, name, username, `Too many failed sign-in attempts for this user. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`),
        { status: 429, formAction, headers: { 'Retry-After': String(wait) } },
      );
      return;
    }
    let user;
    try {
      user = await users.authenticate(username, password);
    } catch (error) {
      await throttle.release(username);
      throw error;
    }
    if (!user) {
      await throttle.recordFailure(username);
      sendPage(res, 'Sign in · ThetaSecure', loginForm(details.uid, name, username, 'Wrong username or password.'), { status: 401, formAction });
      return;
    }
    await throttle.recordSuccess(username);
    await provider.interactionFinished(req, res, { login: { accountId: user.username } }, { mergeWithLastSubmission: false });
  }

  /** Continue on the confirmation page: the person at the browser said yes. */
  async function submitContinue(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (typeof details.params.client_id === 'string') options.noteClient(req, details.params.client_id);
    if (details.prompt.name !== 'consent') {
      await show(req, res);
      return;
    }
    await grantConsent(req, res, details);
  }

  /** Cancel: back to the client's redirect URI with access_denied (RFC 6749 §4.1.2.1). */
  async function submitCancel(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (typeof details.params.client_id === 'string') options.noteClient(req, details.params.client_id);
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, { mergeWithLastSubmission: false });
  }

  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
    const match = /^\/interaction\/([^/]+)(\/login|\/continue|\/cancel)?$/.exec(pathname);
    if (!match) return false;
    try {
      if (!match[2] && req.method === 'GET') await show(req, res);
      else if (match[2] === '/login' && req.method === 'POST') await submitLogin(req, res);
      else if (match[2] === '/continue' && req.method === 'POST') await submitContinue(req, res);
      else if (match[2] === '/cancel' && req.method === 'POST') await submitCancel(req, res);
      else {
        res.writeHead(405, { Allow: match[2] ? 'POST' : 'GET', 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Method not allowed');
      }
    } catch (error) {
      if (error instanceof errors.SessionNotFound || error instanceof errors.InvalidRequest) {
        if (!res.headersSent) sendExpired(res);
        return true;
      }
      if (error instanceof BodyTooLargeError) {
        await drainRequest(req);
        if (!res.headersSent) {
          res.writeHead(413, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
          res.end('The form is too large.');
        }
        return true;
      }
      throw error;
    }
    return true;
  };
}
