// GET /api/v1/events: a Server-Sent Events stream that tells a signed-in caller the change feed
// has moved on, so that it reads GET /api/v1/clients/changes?since=<its seq> instead of polling.
//
//   event: clients          after committed changes (coalesced per event-loop turn, see
//   id: <seq>               change-events.ts), with the newest changeSeq; at connect, when the
//   data: {"seq":<seq>}     server stands elsewhere than the caller's Last-Event-ID (or it sent none)
//
//   : heartbeat             a comment every 15 s, so idle connections stay open through proxies
//
// The stream ends when the access token expires (a timer at its exp), when the token is no
// longer accepted (the same verifier as every request, re-run at each heartbeat: a disabled or
// deleted client, a deleted user, a role that lost clients:read), and when the server closes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessTokenVerifier } from './access-token.ts';
import type { ChangeEvents } from './change-events.ts';

export const DEFAULT_HEARTBEAT_MS = 15_000;
/** setTimeout's limit; a token living longer is re-checked at each heartbeat anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const REQUIRED_SCOPE = 'clients:read';

export interface EventStreamsOptions {
  changeEvents: Pick<ChangeEvents, 'subscribe'>;
  /** Where the change feed stands now (the store's newest changeSeq). */
  currentSeq: () => Promise<number>;
  verifyAccessToken: AccessTokenVerifier;
  heartbeatMs?: number;
}

export interface OpenStream {
  /** The bearer token the stream was opened with, re-verified at each heartbeat. */
  token: string;
  /** When that token expires (ms since the epoch). */
  expiresAt: number;
}

/** `Last-Event-ID` as a seq, or null when absent or not one of ours. */
function lastEventId(req: IncomingMessage): number | null {
  const header = req.headers['last-event-id'];
  const text = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!text || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

function clientsEvent(seq: number): string {
  return `event: clients\nid: ${seq}\ndata: {"seq":${seq}}\n\n`;
}

export function createEventStreams(options: EventStreamsOptions) {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const open = new Set<() => void>();
  let closed = false;

  async function start(req: IncomingMessage, res: ServerResponse, stream: OpenStream): Promise<void> {
    const resumeFrom = lastEventId(req);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      // A proxy must pass each event on at once rather than collect the response.
      'X-Accel-Buffering': 'no',
      // The connection ends with the stream (token expiry, server close) instead of idling in
      // the keep-alive pool; a client opens a new one to resume.
      Connection: 'close',
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);

    let ended = false;
    let lastSent = resumeFrom ?? -1;
    const send = (seq: number) => {
      lastSent = seq;
      res.write(clientsEvent(seq));
    };
    // Subscribe before reading where the feed stands, so that no commit falls between the two.
    const unsubscribe = options.changeEvents.subscribe((seq) => {
      if (!ended && seq > lastSent) send(seq);
    });
    const heartbeat = setInterval(() => {
      void options.verifyAccessToken(stream.token).then(
        (result) => {
          if (ended) return;
          if (!result.ok || !result.principal.scopes.includes(REQUIRED_SCOPE)) end();
          else res.write(': heartbeat\n\n');
        },
        () => end(),
      );
    }, heartbeatMs);
    const expiry = setTimeout(() => end(), Math.min(Math.max(0, stream.expiresAt - Date.now()), MAX_TIMER_MS));

    function end(): void {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unsubscribe();
      open.delete(end);
      if (!res.writableEnded) res.end();
    }
    open.add(end);
    res.on('close', end);
    // A request that arrived while the server was shutting down gets its headers and an end.
    if (closed) end();

    const current = await options.currentSeq();
    // Nothing sent yet: tell the caller where the server stands, unless it already knows. A
    // Last-Event-ID beyond the server's seq comes from other data; the current seq lets the
    // caller find out (the feed answers 410 for its since).
    if (!ended && lastSent === (resumeFrom ?? -1) && current !== resumeFrom) send(current);
  }

  return {
    start,
    /** Ends every open stream (server shutdown): each response finishes and its connection closes. */
    closeAll(): void {
      closed = true;
      for (const end of [...open]) end();
    },
    get openCount(): number {
      return open.size;
    },
  };
}

export type EventStreams = ReturnType<typeof createEventStreams>;
