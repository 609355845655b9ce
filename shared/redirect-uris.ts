// Redirect URI rules (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §4.1): one implementation, used by
// the server before it writes and by the form while the user types.

export const MAX_REDIRECT_URI_LENGTH = 2000;

const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+.-]*(\.[a-z0-9+-]+)+$/;
const FORBIDDEN_SCHEMES = new Set(['javascript', 'data', 'file', 'vbscript', 'blob', 'about', 'ftp', 'ws', 'wss']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

/** Returns why `uri` is not an acceptable redirect URI, or null when it is. */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length === 0) return 'Enter a redirect URI.';
  if (uri !== uri.trim()) return 'Remove the spaces around the URI.';
  if (/\s/.test(uri)) return 'A redirect URI cannot contain spaces.';
  if (uri.length > MAX_REDIRECT_URI_LENGTH) return `A redirect URI can be at most ${MAX_REDIRECT_URI_LENGTH} characters.`;
  if (uri.includes('*')) return 'Wildcards are not allowed: register each redirect URI exactly.';
  if (uri.includes('#')) return 'A redirect URI cannot contain a fragment (#).';

  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri);
  if (!schemeMatch) return 'Enter an absolute URI, for example https://app.example.com/callback.';
  const scheme = schemeMatch[1]!.toLowerCase();
  if (FORBIDDEN_SCHEMES.has(scheme)) return `The ${scheme}: scheme is not allowed for redirect URIs.`;

  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'This is not a valid URI.';
  }
  if (url.username || url.password) return 'A redirect URI cannot contain a user name or password.';

  if (scheme === 'https') {
    if (!url.hostname) return 'An https:// redirect URI needs a host.';
    return null;
  }
  if (scheme === 'http') {
    if (!LOOPBACK_HOSTS.has(url.hostname)) {
      return 'http:// is only allowed for the loopback addresses 127.0.0.1 and [::1]; use https://.';
    }
    return null;
  }
  // RFC 8252 §7.1: private-use schemes are reverse domain names such as com.example.app.
  if (!PRIVATE_USE_SCHEME.test(scheme)) {
    return 'Use https://, a loopback http:// address, or a reverse-domain app scheme such as com.example.app:/callback.';
  }
  return null;
}

/** Problems with a whole list: each entry's own problem, then duplicates. Keys are list indexes. */
export function redirectUriListProblems(uris: readonly string[]): Map<number, string> {
  const problems = new Map<number, string>();
  const seen = new Set<string>();
  uris.forEach((uri, index) => {
    const problem = redirectUriProblem(uri);
    if (problem) problems.set(index, problem);
    else if (seen.has(uri)) problems.set(index, 'This redirect URI is already in the list.');
    seen.add(uri);
  });
  return problems;
}

/** Loopback redirect URIs match any port at authorization time (RFC 8252 §7.3). */
export function isLoopbackRedirectUri(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}
