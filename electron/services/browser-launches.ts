// What the session may hand to the host's browser opener: only the authorization and
// end-session URLs it built itself from the issuer's discovery document, each exactly once.
// The host's opener (electron/external-opener.ts) asks `take` before it opens anything, so no
// value the renderer passes — an issuer, a URL, a setting changed while a sign-in waits — can
// make it open another address: the renderer has no way to add a permit.

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', '[::1]', 'localhost']);

export interface BrowserLaunches {
  /** Called by the session with a URL it built, just before it asks the host to open it. */
  permit(url: string): void;
  /** Called by the host's opener: true (once) for a URL the session permitted. */
  take(url: string): boolean;
}

export function createBrowserLaunches(): BrowserLaunches {
  const permitted = new Map<string, number>();
  return {
    permit(url) {
      permitted.set(url, (permitted.get(url) ?? 0) + 1);
    },
    take(url) {
      const count = permitted.get(url) ?? 0;
      if (count === 0) return false;
      if (count === 1) permitted.delete(url);
      else permitted.set(url, count - 1);
      return true;
    },
  };
}

/**
 * Why the discovery document's endpoint `name` may not be opened in the browser, or null. It
 * must be on the issuer's own origin, which is https (or plain http on loopback), with no user
 * name or password: a discovery document cannot send the user's browser somewhere else.
 */
export function discoveredEndpointProblem(endpoint: string | undefined, issuer: string, name: string): string | null {
  if (!endpoint) return `The server's discovery document names no ${name}.`;
  let url: URL;
  let issuerUrl: URL;
  try {
    url = new URL(endpoint);
    issuerUrl = new URL(issuer);
  } catch {
    return `The server's discovery document names an ${name} that is not a URL.`;
  }
  if (url.username || url.password) return `The server's ${name} contains a user name or password; it is not opened.`;
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTNAMES.has(url.hostname));
  if (!secure) return `The server's ${name} is not https; it is not opened.`;
  if (url.origin !== issuerUrl.origin) return `The server's ${name} (${url.origin}) is not on the issuer's origin (${issuerUrl.origin}); it is not opened.`;
  return null;
}
