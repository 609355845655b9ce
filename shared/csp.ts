// The one Content-Security-Policy of the app's pages. Electron's app:// protocol and serve mode
// both send it as a response header, so the renderer runs under the same policy in both hosts.
//
// Scripts come only from the app's own origin: no inline script, no eval, no remote code.
// style-src also allows 'unsafe-inline' because Radix's Dialog and Popover lock page scrolling
// through react-remove-scroll, which injects a <style> element at run time (no nonce can be
// threaded through a static build served from app://). Inline styles cannot run code; every
// other directive stays closed.
export const CONTENT_SECURITY_POLICY_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  // Serve mode's bridge calls its own origin (fetch + EventSource); Electron's renderer calls nothing.
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'worker-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export const CONTENT_SECURITY_POLICY: string = Object.entries(CONTENT_SECURITY_POLICY_DIRECTIVES)
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');
