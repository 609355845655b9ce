// Bodies over a route's size limit (issue 9, item 5). Answering 413 while the rest of the body is
// still unread left the keep-alive connection broken: the next request on it stalled about 6 s
// or was reset. So the server reads and discards what is left (bounded), then answers 413 with
// `Connection: close` and closes the connection. Draining first matters: closing a socket that
// still has unread bytes sends a TCP reset, which can make the client lose the 413 itself.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the provider's own body parser accepts (oidc-provider lib/shared/selective_body.js). */
export const PROVIDER_BODY_LIMIT = 56 * 1024;
export const ADMIN_API_BODY_LIMIT = 256 * 1024;
export const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;
export const FORM_BODY_LIMIT = 16 * 1024;

/** Past this much more, or this long, the client is not worth waiting for: the socket is cut. */
const DRAIN_MAX_BYTES = 16 * 1024 * 1024;
const DRAIN_MAX_MS = 5_000;

/** The declared Content-Length, or null (chunked or absent). */
export function declaredLength(req: IncomingMessage): number | null {
  const header = req.headers['content-length'];
  if (header === undefined || !/^\d+$/.test(header)) return null;
  return Number(header);
}

/** Reads and discards the rest of `req`; true when it ended, false when it was cut off. */
export function drainRequest(req: IncomingMessage): Promise<boolean> {
  if (req.readableEnded || req.destroyed) return Promise.resolve(req.readableEnded);
  return new Promise((resolve) => {
    let discarded = 0;
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(ended);
    };
    const onData = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DRAIN_MAX_BYTES) {
        finish(false);
        req.socket.destroy();
      }
    };
    const onEnd = () => finish(true);
    const onError = () => finish(false);
    const timer = setTimeout(() => {
      finish(false);
      req.socket.destroy();
    }, DRAIN_MAX_MS);
    timer.unref();
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.resume();
  });
}

/** Drains `req`, then answers 413 with `Connection: close` (Node closes the socket after it). */
export async function refuseOversizedBody(req: IncomingMessage, res: ServerResponse, limit: number, as: 'problem' | 'oauth' | 'text'): Promise<void> {
  await drainRequest(req);
  if (res.headersSent || res.destroyed) return;
  const detail = `The request body is larger than ${limit} bytes.`;
  const [type, text] =
    as === 'problem'
      ? ['application/problem+json; charset=utf-8', JSON.stringify({ type: 'urn:thetasecure:problem:body-too-large', title: 'Body too large', status: 413, detail })]
      : as === 'oauth'
        ? ['application/json; charset=utf-8', JSON.stringify({ error: 'invalid_request', error_description: detail })]
        : ['text/plain; charset=utf-8', detail];
  res.writeHead(413, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', Connection: 'close' });
  res.end(text);
}

/** The body limit of a path: the admin API, the sign-in form, or the provider's endpoints. */
export function bodyLimitFor(pathname: string, apiPrefix: string): { limit: number; as: 'problem' | 'oauth' | 'text' } {
  // An import carries many clients at once (server/transfer/transfer-routes.ts IMPORT_BODY_LIMIT).
  if (pathname === `${apiPrefix}/clients/import`) return { limit: IMPORT_BODY_LIMIT, as: 'problem' };
  if (pathname === apiPrefix || pathname.startsWith(`${apiPrefix}/`)) return { limit: ADMIN_API_BODY_LIMIT, as: 'problem' };
  if (pathname.startsWith('/interaction/')) return { limit: FORM_BODY_LIMIT, as: 'text' };
  return { limit: PROVIDER_BODY_LIMIT, as: 'oauth' };
}
