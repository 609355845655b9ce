// Test wiring for createApp against the real reference server: real keytar keychain, real conf
// files in a temp folder, the real clipboard (clipboardy). The one stand-in is the browser: the
// opener drives the server's real login page over HTTP (server/testing/login-over-http.ts),
// because no system browser exists in a test.
import { CookieJar, completeLoginOverHttp, endSessionOverHttp } from '../../../server/testing/login-over-http.ts';
import type { ClientSnapshot, ContractEvent, ContractMethod, EventPayload, MethodInput, MethodOutput, Result, SyncState } from '../../../shared/contract.ts';
import { dispatch } from '../../../shared/contract.ts';
import { parseJsonTextFields } from '../../../shared/json-text.ts';
import { createApp } from '../app.ts';
import type { App, AppEffects } from '../app.ts';
import type { ClipboardEffect, Clock } from '../effects.ts';
import { createKeytarKeychain } from '../keychain.ts';
import { createNodeEffects } from '../node-effects.ts';
import { forgetKeychainEntries } from './keychain-cleanup.ts';
import { makeTempDir } from './temp-dir.ts';

export interface Credentials {
  username: string;
  password: string;
}

export interface EmittedEvent {
  event: ContractEvent;
  payload: unknown;
}

export interface TestApp {
  app: App;
  /** Calls a method as a host does: validated by the contract, never throwing. */
  call<M extends ContractMethod>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  /** Calls with raw (possibly invalid) input. */
  callRaw(method: string, input: unknown): Promise<Result<unknown>>;
  events: EmittedEvent[];
  logs: Array<Record<string, unknown>>;
  /** Who signs in when the app opens the browser next. */
  loginAs(credentials: Credentials): void;
  /** Authorization and end-session URLs the app opened. */
  opened: string[];
  /** Per sign-in the scripted browser completed: whether the server showed its login form. */
  loginFormShown: boolean[];
  /** The text of the page each end-session URL ended on. */
  endSessionPages: string[];
  /** The next such event from now on. */
  waitFor<E extends ContractEvent>(event: E, predicate?: (payload: EventPayload<E>) => boolean, timeoutMs?: number): Promise<EventPayload<E>>;
  /** `clients:snapshot` as the renderer sees it (the list parsed from its JSON text). */
  snapshot(): Promise<Result<ClientSnapshot>>;
  /** Resolves once the replica's sync state satisfies `predicate` (now or by a later event). */
  syncState(predicate: (state: SyncState) => boolean, timeoutMs?: number): Promise<SyncState>;
}

export function createTestApp(options: {
  dataDir: string;
  issuer: string;
  credentials?: Credentials;
  clock?: Clock;
  tuning?: AppEffects['tuning'];
  openBrowser?: (url: string) => Promise<void>;
  /** The scripted browser's cookies, kept across sign-ins (one browser); default a fresh jar per page, a browser never signed in. */
  browserCookies?: CookieJar;
  /** The system clipboard the app uses; default the real one (clipboardy). */
  clipboard?: ClipboardEffect;
}): TestApp {
  const events: EmittedEvent[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const opened: string[] = [];
  const loginFormShown: boolean[] = [];
  const endSessionPages: string[] = [];
  const waiters: Array<{ event: ContractEvent; test: (payload: unknown) => boolean; resolve: (payload: unknown) => void }> = [];
  let credentials = options.credentials ?? null;

  const effects = createNodeEffects({
    dataDir: options.dataDir,
    openBrowser:
      options.openBrowser ??
      (async (url) => {
        opened.push(url);
        if (new URL(url).pathname === '/session/end') {
          endSessionPages.push((await endSessionOverHttp(url, options.browserCookies ?? new CookieJar())).text);
          return;
        }
        if (!credentials) throw new Error('the test did not say who signs in');
        const login = await completeLoginOverHttp(url, credentials, options.browserCookies ? { jar: options.browserCookies } : {});
        loginFormShown.push(login.loginFormShown);
      }),
    emit: (event, payload) => {
      events.push({ event, payload });
      for (const waiter of [...waiters]) {
        if (waiter.event === event && waiter.test(payload)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(payload);
        }
      }
    },
    log: (entry) => logs.push(entry),
    defaults: { issuerUrl: options.issuer },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.clipboard ? { clipboard: options.clipboard } : {}),
  });
  const app = createApp({ ...effects, ...(options.tuning ? { tuning: options.tuning } : {}) });

  const waitFor: TestApp['waitFor'] = (event, predicate, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({
        event,
        test: (payload) => !predicate || predicate(payload as never),
        resolve: (payload) => {
          clearTimeout(timer);
          resolve(payload as never);
        },
      });
    });

  return {
    app,
    call: (method, input) => dispatch(app.handlers, method, input) as never,
    snapshot: async () => parseJsonTextFields(await dispatch(app.handlers, 'clients:snapshot', {})) as Result<ClientSnapshot>,
    async syncState(predicate, timeoutMs = 20_000) {
      const next = waitFor('sync:changed', predicate, timeoutMs);
      const now = await dispatch(app.handlers, 'clients:snapshot', {});
      if (now.ok && predicate((now.value as ClientSnapshot).sync)) {
        next.catch(() => undefined);
        return (now.value as ClientSnapshot).sync;
      }
      return next;
    },
    callRaw: (method, input) => dispatch(app.handlers, method, input),
    events,
    logs,
    opened,
    loginFormShown,
    endSessionPages,
    loginAs(next) {
      credentials = next;
    },
    waitFor,
  };
}

/** The value of an ok result, or a failed assertion naming the error. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

export interface SignedInTestApp {
  t: TestApp;
  /** Disposes the app, forgets its keychain entries and removes its data folder. */
  close(): Promise<void>;
}

/**
 * The desktop core in a fresh data folder, signed in to `server` as `credentials` and in step
 * with it (sync live or polling); the keychain entries of `subjects` are forgotten before and after.
 */
export async function startSignedInTestApp(options: {
  server: { issuer: string };
  prefix: string;
  credentials: Credentials;
  subjects: readonly string[];
  seed?: () => Promise<void>;
}): Promise<SignedInTestApp> {
  const keychain = createKeytarKeychain();
  const appDir = await makeTempDir(options.prefix);
  const forget = () => forgetKeychainEntries(keychain, options.server.issuer, options.subjects).catch(() => undefined);
  await forget();
  await options.seed?.();
  const t = createTestApp({ dataDir: appDir.dir, issuer: options.server.issuer, credentials: options.credentials, tuning: { apiTimeoutMs: 5_000 } });
  await t.app.start();
  valueOf(await t.call('session:sign-in', {}));
  await t.syncState((state) => state.phase === 'live' || state.phase === 'polling');
  return {
    t,
    async close() {
      await t.app.dispose();
      await forget();
      await appDir.remove();
    },
  };
}
