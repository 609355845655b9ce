// Serve mode: the same services and renderer build as the Electron app, hosted by a loopback
// HTTP server and opened in a browser (for machines without the Electron binary, and for the
// end-to-end tests). The page gets `window.thetasecure` from /serve-bridge.js; each contract
// method is one POST route and the events are one server-sent-events stream.
//
// Rules (architecture §5): bound to 127.0.0.1 only; a random per-launch token in the printed URL
// is exchanged for a SameSite=Strict HttpOnly cookie and stripped from the address bar; without
// the cookie everything answers 401; a foreign Host header (DNS rebinding) or a POST from
// another origin (CSRF) answers 403; every response carries the app's CSP.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';
import { CONTRACT_EVENTS, dispatch, fail, isContractMethod } from '../../shared/contract.ts';
import type { ContractEvent, EventPayload, Result } from '../../shared/contract.ts';
import { resultChunks } from '../../shared/json-text.ts';
import { createHostApp } from '../host-app.ts';
import type { AppEffects } from '../services/app.ts';
import { createNodeEffects } from '../services/node-effects.ts';
import { contentTypeFor, resolveStaticFile } from '../static-files.ts';
import { prepareUserDataDir } from '../user-data-dir.ts';
import { generateServeBridgeScript } from './serve-bridge.ts';
import { EVENTS_ROUTE, METHOD_ROUTE_PREFIX } from './serve-bridge-client.ts';

// Two folders below the root both when run from electron/serve/ and bundled in dist/electron/.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_RENDERER_DIR = path.join(repoRoot, 'dist', 'renderer');
export const SERVE_BRIDGE_ROUTE = '/serve-bridge.js';
const MAX_BODY_BYTES = 1024 * 1024;
const SSE_HEARTBEAT_MS = 20_000;

export interface ServeModeOptions {
  /** 0 = a random free port. Default: THETASECURE_SERVE_PORT, else random. */
  port?: number;
  /** The ThetaSecure server. Default: THETASECURE_ISSUER; the settings may name one too. */
  issuer?: string;
  /** Settings and the offline cache live here. */
  userDataDir: string;
  /** The renderer build. Default: dist/renderer. */
  rendererDir?: string;
  /** Tests may replace single effects, e.g. the clipboard where no X server exists. */
  effects?: Partial<AppEffects>;
  /** No printed line and no log output. */
  quiet?: boolean;
}

export interface ServeMode {
  /** http://127.0.0.1:<port>/?token=<token>: the one address that lets a browser in. */
  url: string;
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  /** The Node server, for tests that check where it listens. */
  server: http.Server;
  close(): Promise<void>;
}

export function serveModeLine(url: string): string {
  return `ThetaSecure Admin: ${url}`;
}

export function portFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.THETASECURE_SERVE_PORT;
  if (raw === undefined || raw === '') return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`THETASECURE_SERVE_PORT must be a port number (0-65535), not "${raw}".`);
  return port;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function send(res: http.ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

/**
 * Writes a contract result. A text field (the replica's client list) goes into the body as the
 * raw JSON it holds, one slice at a time as the socket takes it, so the host never holds the
 * whole 60 MB body (shared/json-text.ts).
 */
async function sendResult(res: http.ServerResponse, status: number, result: Result<unknown>): Promise<void> {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  for (const chunk of resultChunks(result)) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
  res.end();
}

/** Puts the bridge script before the app's first script, so window.thetasecure exists when the app starts. */
export function injectBridge(indexHtml: string): string {
  const tag = `<script src="${SERVE_BRIDGE_ROUTE}"></script>`;
  const firstScript = indexHtml.search(/<script[\s>]/i);
  if (firstScript >= 0) return indexHtml.slice(0, firstScript) + tag + '\n    ' + indexHtml.slice(firstScript);
  const headEnd = indexHtml.search(/<\/head>/i);
  if (headEnd >= 0) return indexHtml.slice(0, headEnd) + tag + '\n' + indexHtml.slice(headEnd);
  return tag + indexHtml;
}

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new BodyError(415, 'Contract calls are JSON (Content-Type: application/json).');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, 'The request body is larger than 1 MB.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'The request body is not valid JSON.');
  }
}

const UNAUTHORIZED_PAGE = `<!doctype html><meta charset="utf-8"><title>ThetaSecure Admin</title>
<p>This address needs the link that <code>npm run serve</code> (or <code>npm start</code>) printed in the terminal: open that link, including its <code>?token=…</code> part.</p>`;

export async function startServeMode(options: ServeModeOptions): Promise<ServeMode> {
  const requestedPort = options.port ?? portFromEnvironment();
  const issuer = options.issuer ?? process.env.THETASECURE_ISSUER ?? undefined;
  const rendererDir = path.resolve(options.rendererDir ?? DEFAULT_RENDERER_DIR);
  const quiet = options.quiet ?? false;
  // Before any store opens a file in it: 0700 at every start (issue 9 item 8).
  prepareUserDataDir(options.userDataDir);
  const token = randomBytes(32).toString('base64url');
  const sessionCookie = randomBytes(32).toString('base64url');
  let port = 0;
  // Cookies are not separated by port: naming it by port keeps two instances from overwriting each other's.
  const cookieName = () => `thetasecure_serve_${port}`;

  const streams = new Set<http.ServerResponse>();
  const broadcast = (event: ContractEvent, payload: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const stream of streams) stream.write(frame);
  };

  const log: AppEffects['log'] = quiet
    ? () => {}
    : (entry) => {
        // Warnings and errors only, in words; entries never carry a secret, token or code.
        if (entry.level !== 'warn' && entry.level !== 'error') return;
        const text = typeof entry.message === 'string' ? entry.message : String(entry.event);
        console.error(`[${String(entry.level)}] ${text}${typeof entry.reason === 'string' ? ` (${entry.reason})` : ''}`);
      };

  const overrides = options.effects ?? {};
  const testEmit = overrides.emit;
  const app = createHostApp({
    ...createNodeEffects({
      dataDir: options.userDataDir,
      log,
      ...(issuer ? { defaults: { issuerUrl: issuer } } : {}),
      // Serve mode has no system-browser API of its own: the page opens the URL in a new tab.
      async openBrowser(url) {
        if (streams.size === 0) throw new Error('No ThetaSecure Admin page is open in a browser to show the sign-in page.');
        broadcast('browser:open-url', { url });
      },
      emit: broadcast,
    }),
    ...overrides,
    emit<E extends ContractEvent>(event: E, payload: EventPayload<E>) {
      broadcast(event, payload);
      testEmit?.(event, payload);
    },
  });

  const bridgeScript = await generateServeBridgeScript();

  async function serveIndex(res: http.ServerResponse): Promise<void> {
    const file = await resolveStaticFile(rendererDir, '/index.html');
    if (!file) {
      send(res, 503, `The renderer build is missing (${rendererDir}/index.html). Run: npm run build:renderer`);
      return;
    }
    const html = injectBridge(await fs.readFile(file, 'utf8'));
    send(res, 200, html, { 'Content-Type': 'text/html; charset=utf-8' });
  }

  function openEventStream(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 2000\n: ${CONTRACT_EVENTS.join(' ')}\n\n`);
    streams.add(res);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      streams.delete(res);
    });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').toLowerCase();
    // DNS rebinding: a page of evil.example resolved to 127.0.0.1 still sends Host: evil.example.
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      send(res, 403, 'Forbidden: this server answers only to 127.0.0.1.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    const method = req.method ?? 'GET';

    const offeredToken = url.searchParams.get('token');
    if (offeredToken !== null && (method === 'GET' || method === 'HEAD')) {
      if (!sameSecret(offeredToken, token)) {
        send(res, 401, UNAUTHORIZED_PAGE, { 'Content-Type': 'text/html; charset=utf-8' });
        return;
      }
      // The token leaves the address bar (and the history) at once; the cookie replaces it.
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        'Cache-Control': 'no-store',
        'Set-Cookie': `${cookieName()}=${sessionCookie}; Path=/; HttpOnly; SameSite=Strict`,
        Location: url.pathname + url.search,
      });
      res.end();
      return;
    }

    const cookie = readCookie(req.headers.cookie, cookieName());
    if (cookie === undefined || !sameSecret(cookie, sessionCookie)) {
      send(res, 401, UNAUTHORIZED_PAGE, { 'Content-Type': 'text/html; charset=utf-8' });
      return;
    }

    if (method === 'POST') {
      // CSRF: SameSite=Strict already keeps the cookie off cross-site requests; the Origin check
      // also covers another local port (same site, different origin).
      const origin = req.headers.origin;
      const fetchSite = req.headers['sec-fetch-site'];
      if (origin !== `http://${host}` || (fetchSite !== undefined && fetchSite !== 'same-origin')) {
        send(res, 403, 'Forbidden: contract calls are accepted only from this app’s own page.');
        return;
      }
      if (!url.pathname.startsWith(METHOD_ROUTE_PREFIX)) {
        send(res, 404, 'Not found.');
        return;
      }
      let name: string;
      try {
        name = decodeURIComponent(url.pathname.slice(METHOD_ROUTE_PREFIX.length));
      } catch {
        name = '';
      }
      if (!isContractMethod(name)) {
        await sendResult(res, 404, fail('not_found', `Unknown contract method "${name}".`));
        return;
      }
      let input: unknown;
      try {
        input = await readJsonBody(req);
      } catch (error) {
        if (error instanceof BodyError) {
          await sendResult(res, error.status, fail('validation', error.message));
          return;
        }
        throw error;
      }
      await sendResult(res, 200, await dispatch(app.handlers, name, input));
      return;
    }

    if (method !== 'GET' && method !== 'HEAD') {
      send(res, 405, 'Method not allowed.', { Allow: 'GET, POST' });
      return;
    }
    if (url.pathname.startsWith(METHOD_ROUTE_PREFIX)) {
      send(res, 405, 'Contract methods are called with POST.', { Allow: 'POST' });
      return;
    }
    if (url.pathname === EVENTS_ROUTE) {
      openEventStream(req, res);
      return;
    }
    if (url.pathname === SERVE_BRIDGE_ROUTE) {
      send(res, 200, bridgeScript, { 'Content-Type': 'text/javascript; charset=utf-8' });
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      await serveIndex(res);
      return;
    }
    const file = await resolveStaticFile(rendererDir, url.pathname);
    if (!file) {
      send(res, 404, 'Not found.');
      return;
    }
    send(res, 200, await fs.readFile(file), { 'Content-Type': contentTypeFor(file), 'Cache-Control': 'no-cache' });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log?.({ level: 'error', event: 'serve.request-failed', message: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) send(res, 500, 'Internal error.');
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const appUrl = `${origin}/?token=${token}`;

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      for (const stream of streams) stream.end();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app.dispose();
    })();
    return closed;
  };

  try {
    await app.start();
  } catch (error) {
    await close();
    throw error;
  }
  if (!quiet) console.log(serveModeLine(appUrl));
  return { url: appUrl, origin, port, server, close };
}
