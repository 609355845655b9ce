// The one-shot redirect target of a native sign-in (RFC 8252 §7.3): a listener on
// 127.0.0.1:<random port>/callback that waits for the browser to come back with the matching
// `state`, holds the browser's request until the app knows the outcome, answers with a small
// page that is never cached, and closes. Anything else that knocks is turned away.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Result } from '../../shared/contract.ts';
import { fail, ok } from '../../shared/contract.ts';
import type { Clock, LogEffect } from './effects.ts';
import { silentLog } from './effects.ts';

export const SIGN_IN_TIMEOUT_MS = 5 * 60 * 1000;
export const APP_NAME = 'ThetaSecure Admin';

export interface CallbackArrival {
  /** The full callback URL, as openid-client wants it (code, state, iss). */
  url: URL;
  /** Answers the waiting browser tab and closes the listener. */
  finish(outcome: { signedIn: true } | { signedIn: false; reason: string }): void;
}

export interface LoopbackCallback {
  redirectUri: string;
  /** The callback with the right state, or `timeout` / `cancelled`. */
  arrival: Promise<Result<CallbackArrival>>;
  cancel(message?: string): void;
  close(): void;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
    '<style>body{font:16px system-ui,sans-serif;margin:15vh auto;max-width:32em;padding:0 1em;color:#1f2937}h1{font-size:1.4em}</style>' +
    `</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
}

function answer(response: http.ServerResponse, status: number, title: string, body: string): void {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  response.end(page(title, body));
}

export async function startLoopbackCallback(options: { expectedState: string; clock: Clock; timeoutMs?: number; log?: LogEffect }): Promise<LoopbackCallback> {
  const { clock, expectedState } = options;
  const log = options.log ?? silentLog;
  const timeoutMs = options.timeoutMs ?? SIGN_IN_TIMEOUT_MS;
  let settle!: (result: Result<CallbackArrival>) => void;
  const arrival = new Promise<Result<CallbackArrival>>((resolve) => (settle = resolve));
  let done = false;
  let timer: unknown = null;

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    if (request.method !== 'GET' || url.pathname !== '/callback') {
      answer(response, 404, 'Not found', `This address only receives the ${APP_NAME} sign-in.`);
      return;
    }
    if (done) {
      answer(response, 410, 'Sign-in already finished', `Return to ${APP_NAME}.`);
      return;
    }
    if (url.searchParams.get('state') !== expectedState) {
      // Not ours (a stale tab, or someone else's request): refuse it and keep waiting for ours.
      log({ level: 'warn', event: 'sign-in.callback-state-mismatch' });
      answer(response, 400, 'Sign-in not recognised', `This sign-in response does not belong to the sign-in ${APP_NAME} is waiting for. Return to ${APP_NAME} and try again.`);
      return;
    }
    done = true;
    clock.clearTimeout(timer);
    const callbackUrl = new URL(`${redirectUri}${url.search}`);
    settle(
      ok({
        url: callbackUrl,
        finish(outcome) {
          if (outcome.signedIn) answer(response, 200, `Signed in — return to ${APP_NAME}`, 'You can close this tab.');
          else answer(response, 400, `Sign-in failed — return to ${APP_NAME}`, outcome.reason);
          close();
        },
      }),
    );
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  const close = () => {
    clock.clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const redirectUri = `http://127.0.0.1:${port}/callback`;

  timer = clock.setTimeout(() => {
    if (done) return;
    done = true;
    close();
    settle(fail('timeout', `Sign-in timed out: the browser did not come back within ${Math.round(timeoutMs / 60000)} minutes. Try again.`));
  }, timeoutMs);

  return {
    redirectUri,
    arrival,
    cancel(message = 'Sign-in was cancelled.') {
      if (done) return;
      done = true;
      close();
      settle(fail('cancelled', message));
    },
    close,
  };
}
