// Starts the ThetaSecure reference server: one HTTP listener in front of the OAuth provider
// (oidc-provider), the sign-in page, the admin API and /healthz, over one SQLite file.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createAccessTokenVerifier } from './access-token.ts';
import { repairAdminConsole } from './admin-console-repair.ts';
import { API_PREFIX, createAdminApi } from './admin-api.ts';
import type { ChangeFeedOptions } from './change-feed.ts';
import { ChangeEvents } from './change-events.ts';
import type { ClientStore } from './client-store.ts';
import { configuredSecretProblem } from './config.ts';
import { openDatabase } from './database.ts';
import { sendJson } from './http-util.ts';
import { createEventStreams } from './events-stream.ts';
import { createLoginRoutes } from './login-page.ts';
import { LoginThrottle } from './login-throttle.ts';
import { deleteExpiredModels } from './oidc-adapter.ts';
import { PROVIDER_BODY_LIMIT, bodyLimitFor, declaredLength, drainRequest, refuseOversizedBody } from './oversized-body.ts';
import { apiAudience, createProvider } from './provider.ts';
import type { ProviderOptions } from './provider.ts';
import { provision } from './provisioning.ts';
import type { GeneratedCredentials } from './provisioning.ts';
import { loadOrCreateServerKeys, publicJwks } from './server-keys.ts';
import { SqliteClientStore } from './sqlite-client-store.ts';
import { UserStore } from './user-store.ts';
import { LastUsedRecorder } from './secrets/last-used.ts';

export type { GeneratedCredentials } from './provisioning.ts';

export interface StartServerOptions {
  /** 0 picks a free port. Default 4000. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default `http://<host>:<port>` (127.0.0.1 when listening on all interfaces; the actual port when `port` is 0). */
  issuer?: string;
  dataDir: string;
  adminPassword?: string;
  helpdeskPassword?: string;
  adminClientSecret?: string;
  syncClientSecret?: string;
  /** Receives one structured entry per request and per server event. Default: JSON lines on stdout (none when quiet). */
  log?: (entry: Record<string, unknown>) => void;
  quiet?: boolean;
  /** Lifetime of admin API access tokens in seconds (default 3600). */
  accessTokenTtlSeconds?: number;
  /** The browser session at the sign-in page ends after this many idle minutes (default 30) ... */
  sessionIdleMinutes?: number;
  /** ... and at the latest this many hours after the sign-in (default 8). */
  sessionMaxHours?: number;
  /** Sign-in throttle: failures allowed per minute per user name (default 5) and how long a lock lasts (default 5 min). */
  loginThrottle?: { maxFailures?: number; windowMs?: number; lockMs?: number };
  /** GET /api/v1/events: milliseconds between heartbeats, each also re-checking the token (default 15 s). */
  eventsHeartbeatMs?: number;
  /** Change-feed tombstones: how long they are kept (default 30 days) and the clock that dates and purges them. */
  tombstones?: ChangeFeedOptions;
  /** How often expired rows (provider models, old tombstones) are removed (default 10 min). */
  sweepIntervalMs?: number;
  /**
   * The server's clock for client data: timestamps, secret expiry and retirement (checked at the
   * token endpoint at each request), last use. Default: the system clock. Tokens, sessions and
   * sign-in locks keep the system clock.
   */
  now?: () => Date;
  /** THETASECURE_SECRET_MAX_DAYS: the longest a client secret may live, in days; null or absent: no limit. */
  secretMaxDays?: number | null;
  /** How often pending last-use notes are written (default 10 s; a client at most once a minute). */
  lastUsedFlushMs?: number;
  /** How the provider fetches a private_key_jwt client's jwksUri (default: oidc-provider's, SSRF-protected). */
  providerFetch?: ProviderOptions['fetch'];
}

export interface RunningServer {
  /** Base URL of the listener, e.g. http://127.0.0.1:4000 */
  url: string;
  issuer: string;
  /** The admin API's audience (resource indicator): `${issuer}/api`. */
  apiAudience: string;
  port: number;
  dataDir: string;
  /** Passwords and secrets generated on this (first) start, or null. */
  generated: GeneratedCredentials | null;
  /** The client store, e.g. for seeding many clients at once (`insertMany`). */
  clients: ClientStore;
  /** Writes the last-use notes that are due now (what the timer does), e.g. in tests. */
  flushLastUsed(): Promise<void>;
  close(): Promise<void>;
}

interface RequestNotes {
  clientId?: string;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Log lines for a stream, written together once per turn of the event loop: under load that is
 * one write instead of thousands (stdout to a file or pipe is a synchronous write on Linux).
 */
function bufferedLines(stream: NodeJS.WritableStream): { write(line: string): void; flush(): void } {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    stream.write(text);
  };
  return {
    write(line) {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

/** The request path without the query string (which carries codes, state and other values never to be logged). */
function pathOf(req: IncomingMessage): string {
  const target = req.url ?? '/';
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

const EXPIRED_ROWS_SWEEP_MS = 10 * 60_000;

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const stdoutLog = options.log || options.quiet ? null : bufferedLines(process.stdout);
  const log = options.log ?? (stdoutLog ? (entry: Record<string, unknown>) => stdoutLog.write(JSON.stringify(entry)) : () => {});
  const host = options.host ?? '127.0.0.1';

  // The same rule as for the environment variables, for callers that pass secrets directly.
  for (const [name, value] of [
    ['THETASECURE_ADMIN_CLIENT_SECRET (adminClientSecret)', options.adminClientSecret],
    ['THETASECURE_SYNC_CLIENT_SECRET (syncClientSecret)', options.syncClientSecret],
  ] as const) {
    const problem = configuredSecretProblem(name, value || undefined);
    if (problem) throw new Error(problem);
  }

  const db = openDatabase(options.dataDir);
  // Every write through the store announces its change here after commit; the events streams listen.
  const changeEvents = new ChangeEvents();
  const clients = new SqliteClientStore(db, { changeEvents, tombstones: options.tombstones, now: options.now });
  const lastUsed = new LastUsedRecorder(clients, {
    now: options.now,
    flushMs: options.lastUsedFlushMs,
    onError: (error) => log({ time: new Date().toISOString(), level: 'error', msg: 'last-used write failed', error: error instanceof Error ? error.message : String(error) }),
  });
  const users = new UserStore(db);
  let httpServer: http.Server | undefined;
  let sweep: NodeJS.Timeout | undefined;
  let eventStreams: ReturnType<typeof createEventStreams> | undefined;
  try {
    const keys = loadOrCreateServerKeys(db);
    const generated = await provision(db, clients, users, {
      adminPassword: options.adminPassword,
      helpdeskPassword: options.helpdeskPassword,
      adminClientSecret: options.adminClientSecret,
      syncClientSecret: options.syncClientSecret,
    });
    const repair = await repairAdminConsole(clients);
    if (repair) {
      log({
        time: new Date().toISOString(),
        level: 'warn',
        msg: repair.action === 'recreated'
          ? 'The admin console client (thetasecure-admin-console) was missing: re-created it so that admins can sign in.'
          : 'The admin console client (thetasecure-admin-console) could not sign admins in: repaired it.',
        ...(repair.action === 'repaired' ? { breaks: repair.breaks } : {}),
      });
    }

    const notes = new WeakMap<IncomingMessage, RequestNotes>();
    const noteClient = (req: IncomingMessage, clientId: string) => {
      const note = notes.get(req);
      if (note) note.clientId = clientId;
    };
    let handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => {
      res.writeHead(503).end();
    };

    httpServer = http.createServer((req, res) => {
      const started = performance.now();
      const note: RequestNotes = {};
      notes.set(req, note);
      res.on('finish', () => {
        log({
          time: new Date().toISOString(),
          level: 'info',
          msg: 'request',
          method: req.method,
          path: pathOf(req),
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          ...(note.clientId ? { clientId: note.clientId } : {}),
        });
      });
      handle(req, res).catch((error: unknown) => {
        log({ time: new Date().toISOString(), level: 'error', msg: 'unhandled error', path: pathOf(req), error: error instanceof Error ? error.message : String(error) });
        if (!res.headersSent) sendJson(res, 500, { type: 'urn:thetasecure:problem:internal', title: 'Internal error', status: 500, detail: 'The server failed to answer this request.' });
        else res.destroy();
      });
    });
    httpServer.keepAliveTimeout = 5_000;

    const server = httpServer;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4000, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://${urlHost(host)}:${port}`;
    // Listening on all interfaces still means "this machine" for the default issuer.
    const issuer = (options.issuer ?? url).replace(/\/+$/, '');
    const audience = apiAudience(issuer);

    const provider = createProvider({ issuer, db, clients, users, keys, accessTokenTtlSeconds: options.accessTokenTtlSeconds,
      now: options.now,
      fetch: options.providerFetch,
      onTokenIssued: (clientId, secretId) => lastUsed.record(clientId, secretId),
      sessionIdleSeconds: options.sessionIdleMinutes === undefined ? undefined : Math.round(options.sessionIdleMinutes * 60),
      sessionMaxSeconds: options.sessionMaxHours === undefined ? undefined : Math.round(options.sessionMaxHours * 3600),
    });
    // An https issuer in front of this plain-HTTP listener means a TLS-terminating proxy: trust its
    // X-Forwarded-Proto/Host so that cookies are marked Secure and URLs use the public origin.
    if (issuer.startsWith('https://')) provider.proxy = true;
    provider.use(async (ctx, next) => {
      await next();
      // oidc-provider answers a body over its limit with 400 and leaves the rest unread, which
      // breaks the keep-alive connection: drain it, answer 413 and close (oversized-body.ts).
      const out = ctx.body as { error_description?: unknown } | undefined;
      if (ctx.status === 400 && !ctx.req.readableEnded && out?.error_description === 'failed to parse the request body') {
        await drainRequest(ctx.req);
        ctx.status = 413;
        ctx.body = { error: 'invalid_request', error_description: `The request body is larger than ${PROVIDER_BODY_LIMIT} bytes.` };
        ctx.set('Connection', 'close');
      }
      const clientId = ctx.oidc?.client?.clientId;
      if (clientId) noteClient(ctx.req, clientId);
    });
    provider.on('server_error', (_ctx, error: Error) => {
      log({ time: new Date().toISOString(), level: 'error', msg: 'provider error', error: error.message });
    });
    const providerCallback = provider.callback();
    const handleInteraction = createLoginRoutes({ provider, clients, users, throttle: new LoginThrottle(options.loginThrottle), noteClient });
    const verifyAccessToken = createAccessTokenVerifier({ issuer, audience, jwks: publicJwks(keys.jwks), clients, users });
    eventStreams = createEventStreams({ changeEvents, currentSeq: () => clients.lastChangeSeq(), verifyAccessToken, heartbeatMs: options.eventsHeartbeatMs });
    const handleAdminApi = createAdminApi({ clients, verifyAccessToken, events: eventStreams, noteClient, now: options.now, secretMaxDays: options.secretMaxDays ?? null, userName: (username) => users.find(username)?.name });

    handle = async (req, res) => {
      const pathname = pathOf(req);
      // A declared body over the route's limit is refused before anything reads it.
      const bodyLimit = bodyLimitFor(pathname, API_PREFIX);
      const length = declaredLength(req);
      if (length !== null && length > bodyLimit.limit) {
        await refuseOversizedBody(req, res, bodyLimit.limit, bodyLimit.as);
        return;
      }
      if (pathname === '/healthz') {
        sendJson(res, 200, { status: 'ok' });
        return;
      }
      if (pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`)) {
        await handleAdminApi(req, res, new URL(req.url ?? '/', url));
        return;
      }
      if (pathname.startsWith('/interaction/') && (await handleInteraction(req, res, pathname))) return;
      await providerCallback(req, res);
    };

    const sweepOnce = () => {
      deleteExpiredModels(db);
      void clients.purgeExpiredTombstones().catch((error: unknown) => {
        log({ time: new Date().toISOString(), level: 'error', msg: 'tombstone purge failed', error: error instanceof Error ? error.message : String(error) });
      });
    };
    sweep = setInterval(sweepOnce, options.sweepIntervalMs ?? EXPIRED_ROWS_SWEEP_MS);
    sweep.unref();
    sweepOnce();

    let closing: Promise<void> | undefined;
    return {
      url,
      issuer,
      apiAudience: audience,
      port,
      dataDir: options.dataDir,
      generated,
      clients,
      flushLastUsed: () => lastUsed.flush(),
      close() {
        closing ??= new Promise<void>((resolve) => {
          clearInterval(sweep);
          // Event streams never finish on their own: end them so that close() does not wait
          // for the cut-off below.
          eventStreams?.closeAll();
          server.close(() => {
            // Requests have finished: what they noted about last use is written before the file closes.
            void lastUsed.close().finally(() => {
              db.close();
              stdoutLog?.flush();
              // One more turn of the event loop, so that an HTTP client in this same process (tests,
              // serve mode) sees its pooled connections closed before it reuses them.
              setTimeout(resolve, 10);
            });
          });
          server.closeIdleConnections();
          // Requests in flight get a moment to finish; then their connections are cut.
          setTimeout(() => server.closeAllConnections(), 2_000).unref();
        });
        return closing;
      },
    };
  } catch (error) {
    void lastUsed.close();
    clearInterval(sweep);
    eventStreams?.closeAll();
    httpServer?.close();
    db.close();
    throw error;
  }
}
