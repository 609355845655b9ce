// `thetasecure-admin://clients/<clientId>` links (issue 11): the operating system hands them to
// the app (macOS: open-url; Windows and Linux: the command line of a second instance, which the
// single-instance lock turns into second-instance in the running one). Only this one shape is
// accepted; anything else in a link is ignored, never navigated to.
export const LINK_SCHEME = 'thetasecure-admin';

/** The client id a link names, or null when the text is not such a link. */
export function clientIdFromLink(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== `${LINK_SCHEME}:` || url.host !== 'clients') return null;
  const match = /^\/([^/]+)\/?$/.exec(url.pathname);
  if (!match || url.search || url.hash) return null;
  let clientId: string;
  try {
    clientId = decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
  // Client ids are short printable text (server/transfer/import-plan.ts CLIENT_ID_PATTERN).
  return /^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$/.test(clientId) ? clientId : null;
}

/** The first link in a command line (a second instance's argv), as a client id. */
export function clientIdFromArgv(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (!arg.startsWith(`${LINK_SCHEME}:`)) continue;
    const clientId = clientIdFromLink(arg);
    if (clientId) return clientId;
  }
  return null;
}

export function linkToClient(clientId: string): string {
  return `${LINK_SCHEME}://clients/${encodeURIComponent(clientId)}`;
}
