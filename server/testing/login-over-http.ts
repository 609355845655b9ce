// Test helper: signs in through the server's real login page over HTTP, as a browser would
// without JavaScript. It follows the authorization URL (keeping cookies), fills and posts the
// sign-in form, follows the redirects through consent to the client's redirect URI, then
// requests that callback URL (so a loopback listener receives it) and returns it.
//
// When the browser already has a session at the server (pass the same `browser` jar again), a
// public native client gets the "Continue to <app> as <user>?" page instead of the sign-in form
// (issue 9, item 3): the helper presses Continue (or Cancel, when asked to) and says it saw it.

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/** The cookies of one browser profile; share it between calls to reuse the server session. */
export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  store(response: Response, requestUrl: URL): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair!.indexOf('=');
      if (eq < 1) continue;
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      let path = requestUrl.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const attribute of attributes) {
        const [key, attributeValue = ''] = attribute.split('=').map((part) => part.trim());
        const lower = key!.toLowerCase();
        if (lower === 'path') path = attributeValue || '/';
        if (lower === 'max-age' && Number(attributeValue) <= 0) expired = true;
        if (lower === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
      }
      const key = `${name};${path}`;
      if (expired || value === '') this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }

  header(url: URL): string {
    const matching = [...this.#cookies.values()].filter(
      (cookie) => url.pathname === cookie.path || url.pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`),
    );
    // Longer paths first, as browsers send them.
    matching.sort((a, b) => b.path.length - a.path.length);
    return matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }
}

function decodeHtml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return match ? decodeHtml(match[1]!) : undefined;
}

/** The sign-in form of a page: where it posts and its fields (hidden ones with their values). */
function parseLoginForm(html: string, pageUrl: URL): { action: URL; fields: URLSearchParams } | null {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const formTag = /<form\b[^>]*>/i.exec(form[0])![0];
  if ((attribute(formTag, 'method') ?? 'get').toLowerCase() !== 'post') return null;
  const fields = new URLSearchParams();
  for (const input of form[1]!.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (!name) continue;
    fields.set(name, attribute(input, 'value') ?? '');
  }
  if (!fields.has('username') || !fields.has('password')) return null;
  return { action: new URL(attribute(formTag, 'action') ?? pageUrl.href, pageUrl), fields };
}

/** The action of the confirmation page's Continue or Cancel form, if this page is that page. */
function confirmationAction(html: string, pageUrl: URL, which: 'continue' | 'cancel'): URL | null {
  for (const formTag of html.match(/<form\b[^>]*>/gi) ?? []) {
    const action = attribute(formTag, 'action');
    if (action && action.endsWith(`/${which}`) && (attribute(formTag, 'method') ?? '').toLowerCase() === 'post') return new URL(action, pageUrl);
  }
  return null;
}

/** The first POST form of a page with its fields. */
function parseAnyForm(html: string, pageUrl: URL): { action: URL; fields: URLSearchParams } | null {
  const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const formTag = /<form\b[^>]*>/i.exec(form[0])![0];
  const fields = new URLSearchParams();
  for (const input of form[1]!.match(/<input\b[^>]*>/gi) ?? []) {
    const name = attribute(input, 'name');
    if (name) fields.set(name, attribute(input, 'value') ?? '');
  }
  return { action: new URL(attribute(formTag, 'action') ?? pageUrl.href, pageUrl), fields };
}

function alertText(html: string): string {
  const alert = /role="alert"[^>]*>([\s\S]*?)</i.exec(html);
  return alert ? decodeHtml(alert[1]!).trim() : '';
}

function isCallback(location: URL, redirectUri: string | null, issuerOrigin: string): boolean {
  if (redirectUri) {
    const expected = redirectUri.split('?')[0]!;
    if (location.href.split('?')[0] === expected) return true;
  }
  return location.origin !== issuerOrigin;
}

export interface LoginOverHttpOptions {
  /** The browser's cookies; pass the same jar again to come back with the server session. A fresh jar (the default) is a browser that was never signed in. */
  browser?: CookieJar;
  /** The same as `browser` (the name the sign-out tests use). */
  jar?: CookieJar;
  /** What to press on the "Continue to … as …?" page when it appears (default Continue). */
  onContinuePage?: 'continue' | 'cancel';
}

export interface LoginOverHttpResult {
  callbackUrl: string;
  /** True when the server asked "Continue to … as …?" (an existing session) instead of the password. */
  sawContinuePage: boolean;
  /** True when the password form was filled. */
  enteredPassword: boolean;
  /** The same as `enteredPassword`: the server asked for the password on the way. */
  loginFormShown: boolean;
}

export async function completeLoginOverHttp(authorizationUrl: string, credentials: { username: string; password: string }, options: LoginOverHttpOptions = {}): Promise<LoginOverHttpResult> {
  const jar = options.browser ?? options.jar ?? new CookieJar();
  let sawContinuePage = false;
  const start = new URL(authorizationUrl);
  const redirectUri = start.searchParams.get('redirect_uri');
  let url = start;
  let method: 'GET' | 'POST' = 'GET';
  let body: URLSearchParams | undefined;
  let submitted = false;

  for (let step = 0; step < 20; step += 1) {
    const headers: Record<string, string> = {};
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    jar.store(response, url);
    method = 'GET';
    body = undefined;

    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      const location = new URL(response.headers.get('location') ?? '', url);
      if (isCallback(location, redirectUri, start.origin)) {
        if (location.protocol === 'http:' || location.protocol === 'https:') {
          const callback = await fetch(location, { redirect: 'manual' });
          await callback.body?.cancel();
        }
        return { callbackUrl: location.href, sawContinuePage, enteredPassword: submitted, loginFormShown: submitted };
      }
      url = location;
      continue;
    }

    const html = await response.text();
    const confirm = response.ok && !sawContinuePage ? confirmationAction(html, url, options.onContinuePage ?? 'continue') : null;
    if (confirm) {
      sawContinuePage = true;
      url = confirm;
      method = 'POST';
      body = new URLSearchParams();
      continue;
    }
    // The provider's self-submitting form (signing the previous user of this browser out before
    // another one signs in): a browser runs its script; post it the same way.
    if (response.ok && html.includes('document.forms[0].submit()')) {
      const form = parseAnyForm(html, url);
      if (form) {
        url = form.action;
        method = 'POST';
        body = form.fields;
        continue;
      }
    }
    if (response.ok && !submitted) {
      const form = parseLoginForm(html, url);
      if (!form) throw new Error(`Expected the sign-in form at ${url.pathname}, got a page without it (HTTP ${response.status}).`);
      form.fields.set('username', credentials.username);
      form.fields.set('password', credentials.password);
      url = form.action;
      method = 'POST';
      body = form.fields;
      submitted = true;
      continue;
    }
    const message = alertText(html) || html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
    throw new Error(`Sign-in failed at ${url.pathname} with HTTP ${response.status}: ${message}`);
  }
  throw new Error('Sign-in did not reach the redirect URI within 20 steps.');
}

/**
 * Follows an end-session URL as a browser would (with `jar`'s cookies): the page's form is posted
 * as its script (or the user's "Sign out" click) would post it. Returns the final page's text.
 */
export async function endSessionOverHttp(endSessionUrl: string, jar: CookieJar): Promise<{ status: number; text: string }> {
  let url = new URL(endSessionUrl);
  let method: 'GET' | 'POST' = 'GET';
  let body: URLSearchParams | undefined;
  let posted = false;
  for (let step = 0; step < 10; step += 1) {
    const headers: Record<string, string> = {};
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    jar.store(response, url);
    method = 'GET';
    body = undefined;
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      url = new URL(response.headers.get('location') ?? '', url);
      continue;
    }
    const html = await response.text();
    const form = /<form\b[^>]*>([\s\S]*?)<\/form>/i.exec(html);
    if (response.ok && form && !posted) {
      const formTag = /<form\b[^>]*>/i.exec(form[0])![0];
      const fields = new URLSearchParams();
      for (const input of form[1]!.match(/<input\b[^>]*>/gi) ?? []) {
        const name = attribute(input, 'name');
        if (name) fields.set(name, attribute(input, 'value') ?? '');
      }
      // The confirming button, when the page asks (its name and value are sent like a field).
      if (!fields.has('logout') && /name="logout"/.test(form[1]!)) fields.set('logout', 'yes');
      url = new URL(attribute(formTag, 'action') ?? url.href, url);
      method = 'POST';
      body = fields;
      posted = true;
      continue;
    }
    return { status: response.status, text: decodeHtml(html.replace(/<script[\s\S]*?<\/script>/gi, '').replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim() };
  }
  throw new Error('The end-session page did not settle within 10 steps.');
}
