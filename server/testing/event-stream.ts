// Test helper: GET /api/v1/events with Node's fetch, read as a browser's EventSource would parse
// it (WHATWG HTML "event stream interpretation": field lines, one optional space after the colon,
// a blank line dispatches, lines starting with ":" are comments). Comments are kept as frames
// too, so that tests can see heartbeats.
import type { RunningServer } from '../app.ts';

export type StreamFrame = { kind: 'event'; event: string; id: string | null; data: string } | { kind: 'comment'; text: string };

export interface EventStreamReader {
  response: Response;
  /** The next frame; 'end' when the server ended the stream, 'timeout' when none came in time. */
  next(timeoutMs?: number): Promise<StreamFrame | 'end' | 'timeout'>;
  /** The next `event:` frame, skipping comments. */
  nextEvent(timeoutMs?: number): Promise<Extract<StreamFrame, { kind: 'event' }> | 'end' | 'timeout'>;
  /** Resolves when the server has ended the stream (or rejects after `timeoutMs`). */
  ended(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function openEventStream(server: Pick<RunningServer, 'url'>, token: string | undefined, headers: Record<string, string> = {}): Promise<EventStreamReader> {
  const abort = new AbortController();
  const response = await fetch(`${server.url}/api/v1/events`, {
    headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    signal: abort.signal,
  });
  const frames: StreamFrame[] = [];
  let done = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };

  if (response.ok && response.body) {
    void (async () => {
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let event = { type: '', id: null as string | null, data: [] as string[] };
      try {
        for (;;) {
          const { value, done: finished } = await reader.read();
          if (finished) break;
          buffer += value;
          let newline: number;
          while ((newline = buffer.search(/\r\n|\r|\n/)) !== -1) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
            if (line === '') {
              if (event.data.length > 0 || event.type) frames.push({ kind: 'event', event: event.type || 'message', id: event.id, data: event.data.join('\n') });
              event = { type: '', id: null, data: [] };
            } else if (line.startsWith(':')) {
              frames.push({ kind: 'comment', text: line.slice(1).trim() });
            } else {
              const colon = line.indexOf(':');
              const field = colon === -1 ? line : line.slice(0, colon);
              let value = colon === -1 ? '' : line.slice(colon + 1);
              if (value.startsWith(' ')) value = value.slice(1);
              if (field === 'event') event.type = value;
              else if (field === 'data') event.data.push(value);
              else if (field === 'id') event.id = value;
            }
            notify();
          }
        }
      } catch {
        // aborted by close(), or the connection was cut: both end the stream for the test
      }
      done = true;
      notify();
    })();
  } else {
    done = true;
  }

  async function next(timeoutMs = 5_000): Promise<StreamFrame | 'end' | 'timeout'> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const frame = frames.shift();
      if (frame) return frame;
      if (done) return 'end';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  return {
    response,
    next,
    async nextEvent(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const frame = await next(Math.max(0, deadline - Date.now()));
        if (frame === 'end' || frame === 'timeout' || frame.kind === 'event') return frame;
      }
    },
    async ended(timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const frame = await next(Math.max(0, deadline - Date.now()));
        if (frame === 'end') return;
        if (frame === 'timeout') throw new Error(`the events stream was still open after ${timeoutMs} ms`);
      }
    },
    async close() {
      abort.abort();
      if (!response.bodyUsed) await response.body?.cancel().catch(() => {});
    },
  };
}
