// The shell of the server's own HTML pages (sign-in, "Continue to … as …?", end-session): one
// stylesheet, one document, one set of headers with a strict CSP that allows only that
// stylesheet and, where a page needs it, one inline script, both by hash.
import crypto from 'node:crypto';
import { escapeHtml } from './http-util.ts';

const STYLE = `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { width: min(24rem, 92vw); padding: 2rem; border: 1px solid GrayText; border-radius: 0.75rem; }
  h1 { font-size: 1.4rem; margin: 0 0 0.25rem; }
  p { margin: 0 0 1.25rem; }
  label { display: block; font-weight: 600; margin: 1rem 0 0.35rem; }
  input { box-sizing: border-box; width: 100%; padding: 0.55rem 0.6rem; font: inherit; border: 1px solid GrayText; border-radius: 0.4rem; }
  input:focus-visible, button:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
  button { margin-top: 1.5rem; width: 100%; padding: 0.65rem; font: inherit; font-weight: 600; border: 0; border-radius: 0.4rem; background: #1d4ed8; color: #fff; cursor: pointer; }
  button.secondary { margin-top: 0.75rem; background: transparent; color: inherit; border: 1px solid GrayText; }
  strong { font-weight: 600; }
  .error { border: 2px solid #b91c1c; border-radius: 0.4rem; padding: 0.6rem 0.75rem; margin: 0 0 1rem; color: #b91c1c; }
  @media (prefers-color-scheme: dark) { .error { color: #fca5a5; border-color: #fca5a5; } }
`;

const hashSource = (text: string) => `'sha256-${crypto.createHash('sha256').update(text).digest('base64')}'`;
const STYLE_HASH = hashSource(STYLE);

export interface PageOptions {
  /** Where the page's forms may post besides this server (a client's redirect URI after sign-in). */
  formAction?: string;
  /** One inline script the page runs (allowed by its hash). */
  script?: string;
}

export function pageDocument(title: string, body: string, options: PageOptions = {}): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
${options.script ? `<script>${options.script}</script>\n` : ''}</body>
</html>
`;
}

export function pageHeaders(options: PageOptions = {}): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': [
      "default-src 'none'",
      `style-src ${STYLE_HASH}`,
      ...(options.script ? [`script-src ${hashSource(options.script)}`] : []),
      `form-action 'self' ${options.formAction ?? ''}`.trim(),
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}
