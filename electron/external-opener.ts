// The only way either host opens something outside the app (Electron: shell.openExternal; serve
// mode: a new browser tab). It opens only URLs of the configured issuer, and only when that
// issuer is https or plain http on a loopback address (the local reference server), so a
// compromised renderer or a bad redirect cannot make the app launch arbitrary URLs or schemes.

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', '[::1]', 'localhost']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function isAcceptableOrigin(url: URL): boolean {
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTNAMES.has(url.hostname);
}

/** True when `url` is on the origin of one of `issuers` and that origin is https or loopback http. */
export function isAllowedExternalUrl(url: string, issuers: readonly string[]): boolean {
  const target = parse(url);
  if (!target || !isAcceptableOrigin(target)) return false;
  return issuers.some((issuer) => {
    const allowed = parse(issuer);
    return allowed !== null && isAcceptableOrigin(allowed) && allowed.origin === target.origin;
  });
}

export interface ExternalOpenerOptions {
  /** The issuers the user configured (settings, THETASECURE_ISSUER, the issuer of a sign-in). */
  issuers(): Promise<readonly string[]> | readonly string[];
  /** The host's real opener. Called only with an allowed URL. */
  open(url: string): Promise<void>;
}

export interface ExternalOpener {
  open(url: string): Promise<void>;
}

export function createExternalOpener(options: ExternalOpenerOptions): ExternalOpener {
  return {
    async open(url: string): Promise<void> {
      const issuers = await options.issuers();
      if (!isAllowedExternalUrl(url, issuers)) {
        // The URL itself is not repeated: it may carry state or other request parameters.
        const origin = parse(url)?.origin ?? 'an unparseable URL';
        throw new Error(`Refused to open ${origin}: only the configured issuer's https or loopback pages may be opened.`);
      }
      await options.open(url);
    },
  };
}
