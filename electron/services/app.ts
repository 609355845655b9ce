// Composes the services into the contract's handlers. A host (Electron's main process, serve
// mode, a test) passes its effects in and gets one handler per contract method back; nothing
// here knows which host it runs in.
import type { Client } from '../../shared/client.ts';
import type { ClientList, ContractEvent, ContractHandlers, EventPayload, Result } from '../../shared/contract.ts';
import { fail, ok } from '../../shared/contract.ts';
import { createApiClient } from './api.ts';
import { createClientCache } from './cache.ts';
import type { CachedList } from './cache.ts';
import { createClipboardService } from './clipboard.ts';
import { createConnectivityMonitor } from './connectivity.ts';
import type { BackoffOptions } from './connectivity.ts';
import type { ClipboardEffect, Clock, KeyValueStore, LogEffect } from './effects.ts';
import { errorMessage, silentLog } from './effects.ts';
import type { Keychain } from './keychain.ts';
import { probeKeychain } from './keychain.ts';
import { createSecretVault } from './secrets.ts';
import { createSessionService } from './session.ts';
import { createSettingsService } from './settings.ts';

export type { Keychain } from './keychain.ts';
export type { ClipboardEffect, Clock, KeyValueStore } from './effects.ts';

export interface AppEffects {
  keychain: Keychain;
  createStore: (name: string) => KeyValueStore;
  clipboard: ClipboardEffect;
  openBrowser: (url: string) => Promise<void>;
  clock: Clock;
  emit: <E extends ContractEvent>(event: E, payload: EventPayload<E>) => void;
  /** Never given a secret, token, password or authorization code. */
  log?: LogEffect;
  /** `issuerUrl` is used while none has been saved in settings (e.g. THETASECURE_ISSUER). */
  defaults?: { issuerUrl?: string };
  /** Tuning for tests and hosts; the defaults are what the app ships with. */
  tuning?: { apiTimeoutMs?: number; backoff?: BackoffOptions; signInTimeoutMs?: number; heartbeatMs?: number };
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

interface ListInMemory {
  issuer: string;
  subject: string;
  items: Client[];
  fetchedAt: string;
}

export function createApp(effects: AppEffects): App {
  const { clock, emit, keychain } = effects;
  const log = effects.log ?? silentLog;
  const settings = createSettingsService({ store: effects.createStore('settings'), defaults: effects.defaults ?? {} });
  const issuer = () => settings.get().issuerUrl;
  const secrets = createSecretVault({ clock });
  const clipboard = createClipboardService({ clipboard: effects.clipboard, clock, log });
  const cache = createClientCache({ keychain, createStore: effects.createStore, clock, ttlDays: () => settings.get().cacheTtlDays, log });

  // The list as last seen, in memory: offline answers come from here first, from disk second.
  let lastList: ListInMemory | null = null;
  let cachePersisted = true;
  let lastScopes: Array<{ name: string; description: string }> | null = null;
  let disposed = false;

  const onReachability = (reachable: boolean) => {
    if (reachable) connectivity.reportReachable();
    else connectivity.reportUnreachable();
  };

  const session = createSessionService({
    keychain,
    openBrowser: effects.openBrowser,
    clock,
    issuer,
    loadUser: (token) => api.me(token),
    onChange: (state) => emit('session:changed', state),
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
    onChange: (state) => emit('connectivity:changed', state),
    onReturn: async () => {
      if (disposed) return;
      await session.resume();
      if (session.identity() && !session.waitingForServer()) await fetchLive('refreshed');
    },
    ...(effects.tuning?.backoff ? { backoff: effects.tuning.backoff } : {}),
    heartbeatMs: effects.tuning?.heartbeatMs ?? HEARTBEAT_MS,
    log,
  });

  const keychainUsable = () => session.get().keychainAvailable;

  /** Fetches every page, remembers it, and keeps the encrypted offline copy current. */
  async function fetchLive(reason?: 'refreshed'): Promise<Result<ClientList>> {
    const identity = session.identity();
    if (!identity) return fail('unauthenticated', 'You are not signed in.');
    const answer = await api.listAllClients();
    if (!answer.ok) return answer;
    const fetchedAt = new Date(clock.now()).toISOString();
    lastList = { issuer: identity.issuer, subject: identity.user.subject, items: answer.value.items, fetchedAt };
    await persist();
    if (reason) emit('clients:changed', { reason });
    return ok({ items: answer.value.items, total: answer.value.total, source: 'live', fetchedAt, cachePersisted });
  }

  async function persist(): Promise<void> {
    const identity = session.identity();
    if (!lastList || !identity || identity.issuer !== lastList.issuer || identity.user.subject !== lastList.subject) return;
    if (!keychainUsable()) {
      cachePersisted = false;
      return;
    }
    const entry: CachedList = { issuer: identity.issuer, user: identity.user, canWrite: identity.canWrite, items: lastList.items, fetchedAt: lastList.fetchedAt };
    try {
      cachePersisted = await cache.save(entry);
    } catch (error) {
      cachePersisted = false;
      log({ level: 'warn', event: 'cache.save-failed', reason: errorMessage(error) });
    }
  }

  /** The offline copy for the signed-in user: memory first, then the encrypted file. */
  async function offlineList(): Promise<ListInMemory | null> {
    const identity = session.identity();
    if (!identity) return null;
    if (lastList && lastList.issuer === identity.issuer && lastList.subject === identity.user.subject) return lastList;
    if (!keychainUsable()) return null;
    const stored = await cache.load(identity.issuer, identity.user.subject);
    if (!stored) return null;
    lastList = { issuer: stored.issuer, subject: stored.user.subject, items: stored.items, fetchedAt: stored.fetchedAt };
    return lastList;
  }

  /** Whether to talk to the server now; a session restored while offline is resumed first. */
  async function serverReady(): Promise<boolean> {
    if (session.waitingForServer() && connectivity.isOnline()) await session.resume();
    return connectivity.isOnline() && !session.waitingForServer();
  }

  const isUnreachable = (result: Result<unknown>) => !result.ok && (result.error.code === 'offline' || result.error.code === 'timeout');

  const offlineWrite = () => {
    void connectivity.check();
    return fail('offline', 'The ThetaSecure server cannot be reached: changes are possible again when it is back.');
  };

  /** Keeps the remembered list in step with a change this app just made. */
  async function applyLocally(change: { upsert?: Client; removeId?: string }) {
    if (!lastList) return;
    let items = lastList.items;
    if (change.removeId) items = items.filter((c) => c.clientId !== change.removeId);
    if (change.upsert) {
      const index = items.findIndex((c) => c.clientId === change.upsert?.clientId);
      items = index >= 0 ? items.map((c, i) => (i === index ? (change.upsert as Client) : c)) : [...items, change.upsert];
    }
    lastList = { ...lastList, items };
    await persist();
  }

  function issuerChanged() {
    session.forget();
    lastList = null;
    lastScopes = null;
    secrets.dispose();
    connectivity.reset();
  }

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
      return session.signIn();
    },

    'session:cancel-sign-in': async () => {
      session.cancelSignIn();
      return ok({});
    },

    'session:sign-out': async (input) => {
      const identity = session.identity();
      const result = await session.signOut();
      lastList = null;
      secrets.dispose();
      if (input.removeOfflineData && identity) await cache.remove(identity.issuer, identity.user.subject).catch(() => undefined);
      return result;
    },

    'connectivity:get': async () => ok(connectivity.get()),

    'clients:list': async () => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      if (await serverReady()) {
        const live = await fetchLive();
        if (!isUnreachable(live)) return live;
      } else {
        void connectivity.check();
      }
      const offline = await offlineList();
      if (!offline) return fail('offline', 'The ThetaSecure server cannot be reached, and there is no offline copy of the client list.');
      return ok({ items: offline.items, total: offline.items.length, source: 'cache', fetchedAt: offline.fetchedAt, cachePersisted: keychainUsable() && cachePersisted });
    },

    'clients:get': async ({ clientId }) => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      if (await serverReady()) {
        const live = await api.getClient(clientId);
        if (live.ok) return ok({ client: live.value, source: 'live' as const });
        if (!isUnreachable(live)) return live;
      }
      const cached = (await offlineList())?.items.find((c) => c.clientId === clientId);
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
      await applyLocally({ upsert: client });
      emit('clients:changed', { reason: 'created' });
      return ok({ client, secret });
    },

    'clients:update': async ({ clientId, version, changes, confirmDefaultClient }) => {
      if (!session.identity()) return fail('unauthenticated', 'You are not signed in.');
      if (!(await serverReady())) return offlineWrite();
      const updated = await api.updateClient(clientId, version, changes, confirmDefaultClient ? clientId : undefined);
      if (!updated.ok) return updated;
      await applyLocally({ upsert: updated.value });
      emit('clients:changed', { reason: 'updated' });
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
      await applyLocally({ removeId: clientId });
      emit('clients:changed', { reason: 'deleted' });
      return ok({ clientId });
    },

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
        return fail('internal', `The clipboard is not available: ${errorMessage(error)}`);
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
        return fail('internal', `The clipboard is not available: ${errorMessage(error)}`);
      }
    },

    'settings:get': async () => ok(settings.get()),

    'settings:set': async (patch) => {
      const before = issuer();
      const saved = settings.set(patch);
      if (saved.ok && saved.value.issuerUrl !== before) {
        issuerChanged();
        // A session remembered for the new issuer signs in by itself, as at start.
        void session.restore().then((outcome) => (outcome === 'signed-in' ? fetchLive('refreshed') : undefined));
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
        cachePersisted = false;
        log({ level: 'warn', event: 'keychain.unavailable', message: 'No OS keychain: sign-in is not remembered and no offline copy is kept.', reason: status.reason });
      } else {
        await cache.purgeExpired().catch((error: unknown) => log({ level: 'warn', event: 'cache.purge-failed', reason: errorMessage(error) }));
      }
      if (!issuer()) return;
      await connectivity.check();
      await session.restore();
    },

    async dispose() {
      disposed = true;
      await clipboard.dispose();
      secrets.dispose();
      session.dispose();
      connectivity.dispose();
    },
  };
}
