// Redirect URI rules (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §4.1): one implementation, used by
// the server before it writes and by the form while the user types.
//
// What is checked is what is stored: a URI that passes is stored as its WHATWG-parsed href
// (`canonicalRedirectUri`), so the scheme and host are lower case, a default port is dropped, an
// international host is in its xn-- form and non-ASCII path characters are percent-encoded.
// Because URL parsers repair sloppy input (`https:///cb` parses as `https://cb/`,
// `https:example.com` as `https://example.com/`, a backslash as a slash), the raw text is
// checked too, before parsing: a URI the parser had to repair is refused, not silently changed.
import { uriTextProblem } from './text-rules.ts';

export const MAX_REDIRECT_URI_LENGTH = 2000;

/**
 * RFC 8252 §7.1: a private-use scheme is a domain name the app's publisher controls, in reverse
 * order (`com.example.app`): at least two labels, the first one a top-level domain (letters).
 */
const PRIVATE_USE_SCHEME = /^[a-z]{2,63}(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const FORBIDDEN_SCHEMES = new Set(['javascript', 'data', 'file', 'vbscript', 'blob', 'about', 'ftp', 'ws', 'wss']);
/**
 * Scheme names a reverse-domain scheme may not start with: `data.evil.com:` or
 * `javascript.evil.com:` are forward domain names dressed as schemes, and a consumer that reads
 * only the leading label (or truncates at the dot) sees `data:` or `javascript:`.
 */
const RESERVED_FIRST_LABELS = new Set([...FORBIDDEN_SCHEMES, 'http', 'https', 'mailto', 'tel', 'sms', 'intent', 'content', 'chrome', 'view-source', 'jar', 'filesystem']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

function hasValidRawAuthority(uri: string): boolean {
  // `scheme://authority…`: exactly two slashes, then a non-empty authority before / ? #.
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(uri);
  if (!match) return false;
  const authority = match[1]!;
  if (authority.includes('@')) return false;
  const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.split(':')[0]!;
  return host.length > 0;
}

/** Returns why `uri` is not an acceptable redirect URI, or null when it is. */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length === 0) return 'Enter a redirect URI.';
  const textProblem = uriTextProblem(uri);
  if (textProblem) return textProblem;
  if (uri !== uri.trim()) return 'Remove the spaces around the URI.';
  if (/\s/.test(uri)) return 'A redirect URI cannot contain spaces.';
  if (uri.length > MAX_REDIRECT_URI_LENGTH) return `A redirect URI can be at most ${MAX_REDIRECT_URI_LENGTH} characters.`;
  if (uri.includes('\\')) return 'A redirect URI cannot contain a backslash (\\).';
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
  if (url.username || url.password || /^[^/?#]*\/\/[^/?#]*@/.test(uri)) return 'A redirect URI cannot contain a user name or password.';

  if (scheme === 'https' || scheme === 'http') {
    if (!hasValidRawAuthority(uri) || !url.hostname) return `Write the URI as ${scheme}://host/path: it needs two slashes and a host.`;
    if (scheme === 'http' && !LOOPBACK_HOSTS.has(url.hostname)) {
      return 'http:// is only allowed for the loopback addresses 127.0.0.1 and [::1]; use https://.';
    }
    return null;
  }
  if (!PRIVATE_USE_SCHEME.test(scheme) || RESERVED_FIRST_LABELS.has(scheme.split('.')[0]!)) {
    return 'Use https://, a loopback http:// address, or an app scheme that is a reverse domain name you control, such as com.example.app:/callback (RFC 8252 §7.1).';
  }
  if (uri.slice(scheme.length + 1).startsWith('//') && !hasValidRawAuthority(uri)) return 'After "://" an app redirect URI needs a host; or write it as com.example.app:/path.';
  return null;
}

/** The form a valid redirect URI is stored and compared in (see the top of this file). */
export function canonicalRedirectUri(uri: string): string {
  return new URL(uri).href;
}

/** Problems with a whole list: each entry's own problem, then duplicates (compared canonically). Keys are list indexes. */
export function redirectUriListProblems(uris: readonly string[]): Map<number, string> {
  const problems = new Map<number, string>();
  const seen = new Set<string>();
  uris.forEach((uri, index) => {
    const problem = redirectUriProblem(uri);
    if (problem) {
      problems.set(index, problem);
      return;
    }
    const canonical = canonicalRedirectUri(uri);
    if (seen.has(canonical)) problems.set(index, 'This redirect URI is already in the list.');
    seen.add(canonical);
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
