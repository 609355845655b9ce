// The only way either host opens something outside the app (Electron: shell.openExternal; serve
// mode: a new browser tab). It opens a URL only when the session built that very URL from the
// issuer's discovery (an authorization or end-session request) and permitted it, once
// (services/browser-launches.ts); and only an https URL, or plain http on loopback, without a
// user name or password. Nothing the renderer sends can add a permit, so a compromised renderer
// cannot make the app launch another page, scheme or parameter set.

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', '[::1]', 'localhost']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** https anywhere, http only on loopback; never with userinfo. */
export function isOpenableScheme(url: string): boolean {
  const target = parse(url);
  if (!target || target.username || target.password) return false;
  if (target.protocol === 'https:') return true;
  return target.protocol === 'http:' && LOOPBACK_HOSTNAMES.has(target.hostname);
}

export interface ExternalOpenerOptions {
  /** True (once) when the session built and permitted exactly this URL. */
  permitted(url: string): boolean;
  /** The host's real opener. Called only with a permitted URL. */
  open(url: string): Promise<void>;
}

export interface ExternalOpener {
  open(url: string): Promise<void>;
}

export function createExternalOpener(options: ExternalOpenerOptions): ExternalOpener {
  return {
    async open(url: string): Promise<void> {
      // Both checks always run: a permit is consumed even when the scheme check fails.
      const permitted = options.permitted(url);
      if (!permitted || !isOpenableScheme(url)) {
        // The URL itself is not repeated: it may carry state or other request parameters.
        const origin = parse(url)?.origin ?? 'an unparseable URL';
        throw new Error(`Refused to open ${origin}: only the sign-in and sign-out pages the session built from the issuer's discovery may be opened.`);
      }
      await options.open(url);
    },
  };
}
