// Links to a client (issue 11). In Electron the page is loaded from app://, and a link others
// can open is `thetasecure-admin://clients/<clientId>` (the app registers that scheme); in
// serve mode the link is this page with `#/clients/<clientId>` (without the launch token, which
// is exchanged for a cookie and stripped from the URL).
export const LINK_SCHEME = 'thetasecure-admin';

export function clientLink(clientId: string, location: Pick<Location, 'protocol' | 'origin' | 'pathname'>): string {
  if (location.protocol === 'app:') return `${LINK_SCHEME}://clients/${encodeURIComponent(clientId)}`;
  return `${location.origin}${location.pathname}#/clients/${encodeURIComponent(clientId)}`;
}

/** `#/clients/<clientId>` → the id; anything else → null. */
export function clientIdFromHash(hash: string): string | null {
  const match = /^#\/clients\/([^/?#]+)\/?$/.exec(hash);
  if (!match) return null;
  try {
    const clientId = decodeURIComponent(match[1]!);
    return /^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$/.test(clientId) ? clientId : null;
  } catch {
    return null;
  }
}
