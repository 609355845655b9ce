// The offline copy of the client list, one entry per issuer and user. Encrypted with
// aes-256-gcm under a random key that lives in the OS keychain, never beside the data: without
// a keychain nothing is written at all. It holds the list and when it was fetched, never a
// secret or a token. An entry that fails to decrypt or parse is dropped with a log line.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ClientSchema } from '../../shared/client.ts';
import type { Client } from '../../shared/client.ts';
import { SessionUserSchema } from '../../shared/contract.ts';
import type { Clock, KeyValueStore, LogEffect } from './effects.ts';
import { errorMessage, silentLog } from './effects.ts';
import type { Keychain } from './keychain.ts';
import { KEYCHAIN_SERVICE } from './keychain.ts';

export const CACHE_STORE_NAME = 'offline-cache';
const DAY_MS = 24 * 60 * 60 * 1000;

const CachedListSchema = z.object({
  issuer: z.string(),
  user: SessionUserSchema,
  canWrite: z.boolean(),
  items: z.array(ClientSchema),
});
export type CachedUser = z.infer<typeof SessionUserSchema>;

export interface CachedList {
  issuer: string;
  user: CachedUser;
  canWrite: boolean;
  items: Client[];
  fetchedAt: string;
}

const EnvelopeSchema = z.object({
  v: z.literal(1),
  fetchedAt: z.string(),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
type Envelope = z.infer<typeof EnvelopeSchema>;

export interface ClientCache {
  /** Encrypts and stores the list. False when it could not be kept (no keychain). */
  save(entry: CachedList): Promise<boolean>;
  /** The stored list, or null when there is none, it expired, or it could not be trusted. */
  load(issuer: string, subject: string): Promise<CachedList | null>;
  remove(issuer: string, subject: string): Promise<void>;
  /** Drops every entry older than the TTL (their keys too). */
  purgeExpired(): Promise<number>;
}

function entryId(issuer: string, subject: string): string {
  return createHash('sha256').update(`${issuer}|${subject}`, 'utf8').digest('hex').slice(0, 32);
}

// Named by the entry id, so an expired entry's key can be found from the entry alone.
const keyAccountOf = (id: string) => `offline-cache-key|${id}`;

export function cacheKeyAccount(issuer: string, subject: string): string {
  return keyAccountOf(entryId(issuer, subject));
}

// Binds the ciphertext to its slot and its date: an entry copied to another user's slot, or a
// fetchedAt edited to dodge the TTL, fails authentication.
function additionalData(id: string, fetchedAt: string): Buffer {
  return Buffer.from(`thetasecure-offline-cache:v1|${id}|${fetchedAt}`, 'utf8');
}

export function createClientCache(options: {
  keychain: Keychain;
  createStore: (name: string) => KeyValueStore;
  clock: Clock;
  ttlDays: () => number;
  log?: LogEffect;
}): ClientCache {
  const { keychain, clock } = options;
  const log = options.log ?? silentLog;
  let store: KeyValueStore | undefined;
  // Opened on first need: until a key is in the keychain there is nothing to write.
  const openStore = () => (store ??= options.createStore(CACHE_STORE_NAME));

  const readEntries = (): Record<string, unknown> => {
    const value = openStore().get('entries');
    return value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  };
  const writeEntries = (entries: Record<string, unknown>) => openStore().set('entries', entries);

  const dropEntry = async (id: string, why: string, level: 'info' | 'warn') => {
    const entries = readEntries();
    if (id in entries) {
      delete entries[id];
      writeEntries(entries);
    }
    await keychain.deletePassword(KEYCHAIN_SERVICE, keyAccountOf(id)).catch(() => false);
    log({ level, event: 'cache.discarded', message: `The offline copy of the client list was discarded: ${why}` });
  };

  const isExpired = (fetchedAt: string) => {
    const time = Date.parse(fetchedAt);
    return !Number.isFinite(time) || clock.now() - time > options.ttlDays() * DAY_MS;
  };

  return {
    async save(entry) {
      let key: Buffer;
      try {
        const account = cacheKeyAccount(entry.issuer, entry.user.subject);
        const stored = await keychain.getPassword(KEYCHAIN_SERVICE, account);
        key = stored ? Buffer.from(stored, 'base64') : randomBytes(32);
        if (key.length !== 32) key = randomBytes(32);
        if (!stored || key.toString('base64') !== stored) await keychain.setPassword(KEYCHAIN_SERVICE, account, key.toString('base64'));
      } catch (error) {
        log({ level: 'info', event: 'cache.not-persisted', message: 'No OS keychain: the client list is kept in memory only.', reason: errorMessage(error) });
        return false;
      }
      const id = entryId(entry.issuer, entry.user.subject);
      // Parsing through the schema keeps only the resource's known fields: nothing else is written.
      const plain = CachedListSchema.parse({ issuer: entry.issuer, user: entry.user, canWrite: entry.canWrite, items: entry.items });
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(additionalData(id, entry.fetchedAt));
      const data = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
      const envelope: Envelope = { v: 1, fetchedAt: entry.fetchedAt, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
      const entries = readEntries();
      entries[id] = envelope;
      writeEntries(entries);
      return true;
    },

    async load(issuer, subject) {
      let keyText: string | null;
      try {
        keyText = await keychain.getPassword(KEYCHAIN_SERVICE, cacheKeyAccount(issuer, subject));
      } catch {
        // No keychain right now: the store is not even opened, and an entry written on an
        // earlier start stays for a later one that has its key.
        return null;
      }
      const id = entryId(issuer, subject);
      let raw: unknown;
      try {
        raw = readEntries()[id];
      } catch (error) {
        log({ level: 'warn', event: 'cache.unreadable', message: 'The offline cache file could not be read.', reason: errorMessage(error) });
        return null;
      }
      if (raw === undefined) return null;
      const envelope = EnvelopeSchema.safeParse(raw);
      if (!envelope.success) {
        await dropEntry(id, 'its file entry is malformed.', 'warn');
        return null;
      }
      const { fetchedAt } = envelope.data;
      if (isExpired(fetchedAt)) {
        await dropEntry(id, `it is older than ${options.ttlDays()} days.`, 'info');
        return null;
      }
      if (!keyText) {
        await dropEntry(id, 'its key is no longer in the OS keychain.', 'warn');
        return null;
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyText, 'base64'), Buffer.from(envelope.data.iv, 'base64'));
        decipher.setAAD(additionalData(id, fetchedAt));
        decipher.setAuthTag(Buffer.from(envelope.data.tag, 'base64'));
        const plain = Buffer.concat([decipher.update(Buffer.from(envelope.data.data, 'base64')), decipher.final()]).toString('utf8');
        const parsed = CachedListSchema.parse(JSON.parse(plain));
        if (parsed.issuer !== issuer || parsed.user.subject !== subject) throw new Error('it belongs to another issuer or user');
        return { ...parsed, fetchedAt };
      } catch (error) {
        await dropEntry(id, `it failed its integrity check (${errorMessage(error)}).`, 'warn');
        return null;
      }
    },

    async remove(issuer, subject) {
      const id = entryId(issuer, subject);
      try {
        const entries = readEntries();
        if (id in entries) {
          delete entries[id];
          writeEntries(entries);
        }
      } finally {
        await keychain.deletePassword(KEYCHAIN_SERVICE, cacheKeyAccount(issuer, subject)).catch(() => false);
      }
    },

    async purgeExpired() {
      let entries: Record<string, unknown>;
      try {
        entries = readEntries();
      } catch {
        return 0;
      }
      let purged = 0;
      for (const [id, raw] of Object.entries(entries)) {
        const envelope = EnvelopeSchema.safeParse(raw);
        if (envelope.success && !isExpired(envelope.data.fetchedAt)) continue;
        delete entries[id];
        await keychain.deletePassword(KEYCHAIN_SERVICE, keyAccountOf(id)).catch(() => false);
        purged += 1;
      }
      if (purged) {
        writeEntries(entries);
        log({ level: 'info', event: 'cache.purged', message: `${purged} expired offline cop${purged === 1 ? 'y' : 'ies'} of the client list removed.` });
      }
      return purged;
    },
  };
}
