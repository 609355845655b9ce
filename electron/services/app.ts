// Composes the services into the contract's handlers. A host (Electron's main process, serve
// mode, a test) passes its effects in and gets one handler per contract method back; nothing
// here knows which host it runs in.
import type { ContractEvent, ContractHandlers, EventPayload, Result } from '../../shared/contract.ts';
import { fail, ok } from '../../shared/contract.ts';
import { createApiClient } from './api.ts';
import { createClientSecretHandlers } from './client-secrets.ts';
import { createClientAdminHandlers } from './client-admin.ts';
import type { SaveFileEffect } from './client-admin.ts';
import { createClipboardService } from './clipboard.ts';
import { createConnectivityMonitor } from './connectivity.ts';
import { createEndpointsService } from './endpoints.ts';
import type { BackoffOptions } from './connectivity.ts';
import type { ClipboardEffect, Clock, KeyValueStore, LogEffect } from './effects.ts';
import { errorMessage, silentLog } from './effects.ts';
import type { Keychain } from './keychain.ts';
import { probeKeychain } from './keychain.ts';
import { createSecretVault } from './secrets.ts';
import { createSessionService } from './session.ts';
import { createBrowserLaunches } from './browser-launches.ts';
import type { BrowserLaunches } from './browser-launches.ts';
import { createSettingsService } from './settings.ts';
import { createReplicaService } from './sync/replica.ts';

export type { Keychain } from './keychain.ts';
export type { ClipboardEffect, Clock, KeyValueStore } from './effects.ts';

export interface AppEffects {
  keychain: Keychain;
  createStore: (name: string) => KeyValueStore;
  clipboard: ClipboardEffect;
  openBrowser: (url: string) => Promise<void>;
  /**
   * Where the session records the URLs it built and may open (hosts pass the one their external
   * opener checks; see electron/host-app.ts). Absent: a private one, for tests without a host.
   */
  browserLaunches?: BrowserLaunches;
  clock: Clock;
  emit: <E extends ContractEvent>(event: E, payload: EventPayload<E>) => void;
  /** Never given a secret, token, password or authorization code. */
  log?: LogEffect;
  /** `issuerUrl` is used while none has been saved in settings (e.g. THETASECURE_ISSUER). */
  defaults?: { issuerUrl?: string };
  /** A save dialog (Electron) for exports; absent (serve mode, tests): the page downloads the text. */
  saveFile?: SaveFileEffect;
  /** Folder of the encrypted replicas of the client list (one SQLite file per issuer and user); absent: memory only. */
  replicaDir?: string;
  /** Tuning for tests and hosts; the defaults are what the app ships with. */
  tuning?: {
    apiTimeoutMs?: number;
    backoff?: BackoffOptions;
    signInTimeoutMs?: number;
    heartbeatMs?: number;
    /** Change-feed page size, the poll interval without an event stream, the stream's reconnect backoff. */
    sync?: { pageLimit?: number; pollMs?: number; streamBackoff?: BackoffOptions; streamSilenceMs?: number };
  };
}

export interface App {
  handlers: ContractHandlers;
  /** Silent sign-in of a remembered session, and a first connectivity probe. */
  start(): Promise<void>;
  /** Clears the clipboard if it still holds a copied secret, drops secrets, stops timers and listeners. */
  dispose(): Promise<void>;
}

/** How often an idle, online app checks that the server is still there (the offline banner's delay). */
export const HEARTBEAT_MS = 15_000;

export function createApp(effects: AppEffects): App {
  const { clock, emit, keychain } = effects;
  const log = effects.log ?? silentLog;
  const settings = createSettingsService({ store: effects.createStore('settings'), defaults: effects.defaults ?? {} });
  const issuer = () => settings.get().issuerUrl;
  const secrets = createSecretVault({ clock });
  const clipboard = createClipboardService({ clipboard: effects.clipboard, clock, log });
  let lastScopes: Array<{ name: string; description: string }> | null = null;
  let disposed = false;

  const onReachability = (reachable: boolean) => {
    if (reachable) connectivity.reportReachable();
    else connectivity.reportUnreachable();
  };

  const session = createSessionService({
    keychain,
    openBrowser: effects.openBrowser,
    browserLaunches: effects.browserLaunches ?? createBrowserLaunches(),
    clock,
    issuer,
    loadUser: (token) => api.me(token),
    onChange: (state) => {
      emit('session:changed', state);
      void followSession();
    },
    onReachability,
    log,
    ...(effects.tuning?.signInTimeoutMs ? { signInTimeoutMs: effects.tuning.signInTimeoutMs } : {}),
  });

  const api = createApiClient({
    issuer,
    auth: {
      accessToken: () => session.accessToken(),
      refreshAfterUnauthorized: () => session.refreshAfterUnauthorized(),
    },
    onReachability,
    ...(effects.tuning?.apiTimeoutMs ? { timeoutMs: effects.tuning.apiTimeoutMs } : {}),
  });

  const connectivity = createConnectivityMonitor({
    probe: () => api.health(),
    clock,
    onChange: (state) => {
      emit('connectivity:changed', state);
      if (!state.online) replica.follow(false);
    },
    onReturn: async () => {
      if (disposed) return;
      await session.resume();
      await followSession();
    },
    ...(effects.tuning?.backoff ? { backoff: effects.tuning.backoff } : {}),
    heartbeatMs: effects.tuning?.heartbeatMs ?? HEARTBEAT_MS,
    log,
  });

  const endpoints = createEndpointsService({ issuer, onReachability });

  const keychainUsable = () => session.get().keychainAvailable;

  const replica = createReplicaService({
    api,
    keychain,
    clock,
    log,
    emit,
    dir: effects.replicaDir ?? null,
    ttlDays: () => settings.get().cacheTtlDays,
    ...effects.tuning?.sync,
  });

  /**
   * The replica follows the session: the signed-in user's replica is shown (from disk, even
   * while the server is away), and kept in step whenever the server can be talked to.
   */
  async function followSession(): Promise<void> {
    if (disposed) return;
    const identity = session.identity();
    await replica.switchTo(identity ? { issuer: identity.issuer, subject: identity.user.subject } : null, { persist: keychainUsable() });
    replica.follow(Boolean(identity) && connectivity.isOnline() && !session.waitingForServer());
  }

  /** Whether to talk to the server now; a session restored while offline is resumed first. */
  async function serverReady(): Promise<boolean> {
    if (session.waitingForServer() && connectivity.isOnline()) await session.resume();
    return connectivity.isOnline() && !session.waitingForServer();
  }

  /**
   * The system clipboard failed (no display server, no xsel, …). The library's own words (about
   * CI servers and Docker) are for the log; the user gets ours, and the renderer a code it can act
   * on (serve mode then copies through the browser's clipboard).
   */
  const clipboardUnavailable = (error: unknown) => {
    log({ level: 'warn', event: 'clipboard.unavailable', reason: errorMessage(error) });
    return fail('unavailable', 'This computer has no clipboard ThetaSecure Admin can use.');
  };

  const isUnreachable = (result: Result<unknown>) => !result.ok && (result.error.code === 'offline' || result.error.code === 'timeout');

  const offlineWrite = () => {
    void connectivity.check();
    return fail('offline', 'The ThetaSecure server cannot be reached: changes are possible again when it is back.');
  };

  function issuerChanged() {
    session.forget();
    lastScopes = null;
    endpoints.reset();
    secrets.dispose();
    connectivity.reset();
  }

  const secretHandlers = createClientSecretHandlers({
    api,
    vault: secrets,
    applyLocal: (client) => replica.applyLocal({ upsert: client }),
    writeBlocked: async () => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      if (!(await serverReady())) return offlineWrite();
      return null;
    },
  });

  const adminHandlers = createClientAdminHandlers({
    api,
    vault: secrets,
    applyLocal: (change) => replica.applyLocal(change),
    refresh: () => replica.refresh(),
    blocked: async () => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      if (!(await serverReady())) return offlineWrite();
      return null;
    },
    ...(effects.saveFile ? { saveFile: effects.saveFile } : {}),
    now: () => new Date(effects.clock.now()),
  });

  const handlers: ContractHandlers = {
    'session:get': async () => ok(session.get()),

    'session:sign-in': async (input) => {
      if (input.issuer !== undefined) {
        const before = issuer();
        const saved = settings.set({ issuerUrl: input.issuer });
        if (!saved.ok) {
          const fields = saved.error.fields?.map((f) => ({ field: f.field === 'issuerUrl' ? 'issuer' : f.field, message: f.message }));
          return fail('validation', saved.error.message, fields);
        }
        if (saved.value.issuerUrl !== before) issuerChanged();
      }
      return session.signIn({ forceLogin: input.forceLogin === true });
    },

    'session:cancel-sign-in': async () => {
      session.cancelSignIn();
      return ok({});
    },

    'session:sign-out': async (input) => {
      const identity = session.identity();
      const result = await session.signOut();
      secrets.dispose();
      await followSession();
      if (input.removeOfflineData && identity) await replica.remove({ issuer: identity.issuer, subject: identity.user.subject }).catch(() => undefined);
      return result;
    },

    'connectivity:get': async () => ok(connectivity.get()),

    'clients:snapshot': async () => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      return ok(replica.snapshot());
    },

    'clients:head': async ({ limit }) => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      return ok(replica.head(limit));
    },

    'clients:refresh': async () => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      if (!(await serverReady())) {
        void connectivity.check();
        return fail('offline', 'The ThetaSecure server cannot be reached: the list cannot be refreshed now.');
      }
      return replica.refresh();
    },

    'clients:get': async ({ clientId }) => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      if (await serverReady()) {
        const live = await api.getClient(clientId);
        if (live.ok) {
          replica.offer(live.value);
          return ok({ client: live.value, source: 'live' as const });
        }
        if (!isUnreachable(live)) return live;
      }
      const cached = replica.get(clientId);
      if (!cached) return fail('offline', 'The ThetaSecure server cannot be reached, and this client is not in the offline copy.');
      return ok({ client: cached, source: 'cache' as const });
    },

    'clients:create': async (input) => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      if (!(await serverReady())) return offlineWrite();
      const created = await api.createClient(input);
      if (!created.ok) return created;
      const { client, clientSecret } = created.value;
      let secret: { handle: string; hint: string } | null = null;
      if (clientSecret) {
        const held = secrets.hold(clientSecret);
        secret = { handle: held.handle, hint: client.secrets[0]?.hint ?? held.hint };
      }
      replica.applyLocal({ upsert: client });
      return ok({ client, secret });
    },

    'clients:update': async ({ clientId, version, changes, confirmDefaultClient }) => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      if (!(await serverReady())) return offlineWrite();
      const updated = await api.updateClient(clientId, version, changes, confirmDefaultClient ? clientId : undefined);
      if (!updated.ok) return updated;
      replica.applyLocal({ upsert: updated.value });
      return ok({ client: updated.value });
    },

    'clients:delete': async ({ clientId, confirmClientId }) => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      if (confirmClientId !== undefined && confirmClientId !== clientId) {
        const message = `Type the client ID "${clientId}" exactly to confirm.`;
        return fail('validation', message, [{ field: 'confirmClientId', message }]);
      }
      if (!(await serverReady())) return offlineWrite();
      const deleted = await api.deleteClient(clientId, confirmClientId);
      if (!deleted.ok) return deleted;
      replica.applyLocal({ deletedId: clientId });
      return ok({ clientId });
    },

    ...secretHandlers,
    ...adminHandlers,

    'server:endpoints': async () => endpoints.get(),

    'scopes:list': async () => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      const scopes = await api.listScopes();
      if (scopes.ok) {
        lastScopes = scopes.value.items;
        return scopes;
      }
      if (isUnreachable(scopes) && lastScopes) return ok({ items: lastScopes });
      return scopes;
    },

    'secret:reveal': async ({ handle }) => {
      const secret = secrets.take(handle);
      if (secret === null) return fail('not_found', 'This secret is no longer available: it is shown only once, until its dialog closes.');
      return ok({ secret });
    },

    'secret:copy': async ({ handle }) => {
      const secret = secrets.take(handle);
      if (secret === null) return fail('not_found', 'This secret is no longer available: it is shown only once, until its dialog closes.');
      try {
        return ok(await clipboard.copySecret(secret, settings.get().clipboardClearSeconds));
      } catch (error) {
        return clipboardUnavailable(error);
      }
    },

    'secret:discard': async ({ handle }) => {
      secrets.discard(handle);
      return ok({});
    },

    'clipboard:copy-text': async ({ text }) => {
      try {
        await clipboard.copyText(text);
        return ok({});
      } catch (error) {
        return clipboardUnavailable(error);
      }
    },

    'settings:get': async () => ok(settings.get()),

    'settings:set': async (patch) => {
      const before = issuer();
      const saved = settings.set(patch);
      if (saved.ok && saved.value.issuerUrl !== before) {
        issuerChanged();
        // A session remembered for the new issuer signs in by itself, as at start.
        void session.restore();
      }
      return saved;
    },
  };

  return {
    handlers,

    async start() {
      const status = await probeKeychain(keychain);
      session.setKeychainAvailable(status.available);
      if (!status.available) {
        log({ level: 'warn', event: 'keychain.unavailable', message: 'No OS keychain: sign-in is not remembered and no offline copy is kept.', reason: status.reason });
      } else {
        await replica.purgeExpired().catch((error: unknown) => log({ level: 'warn', event: 'replica.purge-failed', reason: errorMessage(error) }));
      }
      if (!issuer()) return;
      await connectivity.check();
      await session.restore();
      // The remembered user's replica is open (from disk) before the first window asks for it.
      await followSession();
    },

    async dispose() {
      disposed = true;
      await clipboard.dispose();
      secrets.dispose();
      session.dispose();
      connectivity.dispose();
      replica.dispose();
    },
  };
}
