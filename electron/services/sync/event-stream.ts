// Follows the server's event stream (GET /api/v1/events, server-sent events): each `clients`
// event says the change feed has reached a new position. The stream is re-opened with backoff
// when it ends (the server ends it when the access token expires; the next open gets a fresh
// token from the session) and resumes with Last-Event-ID. Silence for longer than three
// heartbeats means a dead connection: it is dropped and opened again.
import { createParser } from 'eventsource-parser';
import type { Result } from '../../../shared/contract.ts';
import type { Clock, LogEffect } from '../effects.ts';

export interface EventStreamOptions {
  open(lastEventId: string | null, signal: AbortSignal): Promise<Result<ReadableStream<Uint8Array>>>;
  /** A `clients` event: the change feed is at `seq` or beyond. */
  onChange(seq: number): void;
  /** Whether the stream is open now; `failures` counts opens in a row that failed or ended at once. */
  onStatus(status: { connected: boolean; failures: number }): void;
  clock: Clock;
  log: LogEffect;
  backoff: { initialMs: number; maxMs: number };
  /** No byte for this long (the server sends a heartbeat every 15 s) ⇒ the connection is dead. */
  silenceMs: number;
}

export interface EventStream {
  start(): void;
  stop(): void;
  connected(): boolean;
}

/** A connection that lived this long before ending counts as held, and resets the backoff. */
const HELD_MS = 10_000;

export function createEventStream(options: EventStreamOptions): EventStream {
  const { clock, log } = options;
  let running = false;
  let abort: AbortController | null = null;
  let retryTimer: unknown = null;
  let silenceTimer: unknown = null;
  let lastEventId: string | null = null;
  let failures = 0;
  let delay = options.backoff.initialMs;
  let isConnected = false;
  let generation = 0;

  const setConnected = (connected: boolean) => {
    if (connected === isConnected && connected) return;
    isConnected = connected;
    options.onStatus({ connected, failures });
  };

  const clearTimer = (timer: unknown) => {
    if (timer !== null) clock.clearTimeout(timer);
  };

  const armSilence = (controller: AbortController) => {
    clearTimer(silenceTimer);
    silenceTimer = clock.setTimeout(() => controller.abort(new Error('no heartbeat')), options.silenceMs);
  };

  const scheduleRetry = (mine: number) => {
    if (!running || mine !== generation) return;
    clearTimer(retryTimer);
    retryTimer = clock.setTimeout(() => {
      retryTimer = null;
      void connect(mine);
    }, delay);
    delay = Math.min(delay * 2, options.backoff.maxMs);
  };

  async function connect(mine: number): Promise<void> {
    if (!running || mine !== generation) return;
    const controller = new AbortController();
    abort = controller;
    const opened = await options.open(lastEventId, controller.signal);
    if (!running || mine !== generation) {
      controller.abort();
      return;
    }
    if (!opened.ok) {
      failures += 1;
      setConnected(false);
      if (opened.error.code !== 'offline') log({ level: 'info', event: 'sync.stream-refused', code: opened.error.code, message: opened.error.message });
      scheduleRetry(mine);
      return;
    }
    const openedAt = clock.now();
    setConnected(true);
    armSilence(controller);
    const parser = createParser({
      onEvent: (message) => {
        if (message.event !== 'clients') return;
        if (message.id) lastEventId = message.id;
        let seq = Number.NaN;
        try {
          seq = Number((JSON.parse(message.data) as { seq?: unknown }).seq);
        } catch {
          // a malformed event still says something changed
        }
        options.onChange(Number.isSafeInteger(seq) ? seq : Number.MAX_SAFE_INTEGER);
      },
    });
    const reader = opened.value.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armSilence(controller);
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // aborted (stop, silence) or the connection broke: both mean "open again"
    } finally {
      clearTimer(silenceTimer);
      silenceTimer = null;
      reader.releaseLock();
      controller.abort();
    }
    if (!running || mine !== generation) return;
    if (clock.now() - openedAt >= HELD_MS) {
      failures = 0;
      delay = options.backoff.initialMs;
    } else {
      failures += 1;
    }
    setConnected(false);
    scheduleRetry(mine);
  }

  const restart = () => {
    generation += 1;
    clearTimer(retryTimer);
    retryTimer = null;
    abort?.abort();
    abort = null;
  };

  return {
    start() {
      if (running) return;
      running = true;
      failures = 0;
      delay = options.backoff.initialMs;
      restart();
      void connect(generation);
    },
    stop() {
      running = false;
      restart();
      lastEventId = null;
      isConnected = false;
    },
    connected: () => isConnected,
  };
}
