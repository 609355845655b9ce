// The ClientStore contract: one suite that every back end runs (sqlite-client-store.test.ts,
// postgres/pg-client-store.test.ts) against a real database — list pages, sort orders, search,
// filters and totals; the change feed's numbers, tombstones and retention; writes with their
// audit records; secret changes and last use; the token endpoint's lookup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientSettings, ListClientsQuery } from '../../shared/client.ts';
import { ChangesUnavailableError, InvalidCursorError } from '../client-store.ts';
import type { ClientStore } from '../client-store.ts';
import { prepareNewClient, storedSecret } from '../new-client.ts';

export interface ContractStoreOptions {
  now?: () => Date;
  tombstones?: { now?: () => Date; retentionMs?: number };
}

export interface ContractBackend {
  /** A store on a fresh, empty database; `close` releases it. */
  open(options?: ContractStoreOptions): Promise<{ store: ClientStore; close(): Promise<void> }>;
}

const words = ['Billing', 'Service', 'Sync', 'Portal', 'Mobile', 'Gateway', 'Reporting', 'Analytics'];

export function contractSettings(index: number): ClientSettings {
  const authCode = index % 50 === 0; // 1 in 50: a selective grant type filter
  return {
    name: `${words[index % words.length]} ${words[(index * 3) % words.length]} ${index}${index % 7 === 0 ? ' ÄÖ' : ''}`,
    description: '',
    kind: index % 10 === 0 ? 'sync_connector' : 'custom',
    status: index % 4 === 0 ? 'disabled' : 'active',
    grantTypes: authCode ? ['authorization_code'] : ['client_credentials'],
    responseTypes: ['token'],
    redirectUris: authCode ? ['https://app.example.com/cb'] : [],
    scopes: ['directory:read'],
    requireConsent: false,
    tokenEndpointAuthMethod: 'client_secret_basic',
  };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const nocase = (value: string) => value.replace(/[A-Z]/g, (ch) => ch.toLowerCase());

export function describeClientStoreContract(name: string, backend: ContractBackend, options: { count?: number } = {}): void {
  const COUNT = options.count ?? 7_000;

  describe(`${name}: list`, () => {
    let store: ClientStore;
    let close: () => Promise<void>;
    let all: { clientId: string; settings: ClientSettings; createdAt: string }[];

    beforeAll(async () => {
      ({ store, close } = await backend.open());
      const base = Date.parse('2026-01-01T00:00:00.000Z');
      const records = Array.from({ length: COUNT }, (_, index) => prepareNewClient(contractSettings(index), { now: new Date(base + (index % 1000) * 60_000) }).record);
      await store.insertMany(records, 'system:test');
      all = records.map((record) => ({ clientId: record.clientId, settings: record.settings, createdAt: record.createdAt! }));
    });
    afterAll(async () => {
      await close?.();
    });

    async function pageThrough(query: ListClientsQuery): Promise<{ items: Client[]; totals: number[] }> {
      const items: Client[] = [];
      const totals: number[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 1000; guard += 1) {
        const page = await store.list({ ...query, cursor });
        items.push(...page.items);
        totals.push(page.total);
        if (!page.nextCursor) return { items, totals };
        cursor = page.nextCursor;
      }
      throw new Error('too many pages');
    }

    it('pages through every client exactly once, in name order (case-insensitive, then client id)', async () => {
      const { items, totals } = await pageThrough({ limit: 500 });
      expect(items).toHaveLength(COUNT);
      expect(new Set(items.map((client) => client.clientId)).size).toBe(COUNT);
      expect(totals.every((total) => total === COUNT)).toBe(true);
      const expected = [...all].sort((a, b) => compareText(nocase(a.settings.name), nocase(b.settings.name)) || compareText(a.clientId, b.clientId));
      expect(items.map((client) => client.clientId)).toEqual(expected.map((client) => client.clientId));
      expect(await store.count()).toBe(COUNT);
    });

    it.each(['-createdAt', 'createdAt', '-name', 'clientId', '-clientId', 'status', 'kind', '-updatedAt'])('sort %s: ordered, each client once', async (sort) => {
      const { items } = await pageThrough({ sort, limit: 500, kind: 'sync_connector' });
      expect(items).toHaveLength(COUNT / 10);
      expect(new Set(items.map((client) => client.clientId)).size).toBe(items.length);
      const key = sort.replace(/^-/, '') as keyof Client;
      const sign = sort.startsWith('-') ? -1 : 1;
      for (let i = 1; i < items.length; i += 1) {
        const [a, b] = [items[i - 1]!, items[i]!];
        const primary = key === 'name' ? compareText(nocase(a.name), nocase(b.name)) : compareText(String(a[key]), String(b[key]));
        const order = primary || compareText(a.clientId, b.clientId);
        expect(order * sign, `${sort} at ${i}`).toBeLessThan(0);
      }
    });

    it('q finds a case-insensitive substring of the name, with the right total', async () => {
      const { items, totals } = await pageThrough({ q: 'TAL SERV', limit: 100 });
      const expected = all.filter((client) => client.settings.name.toLowerCase().includes('tal serv'));
      expect(expected.length).toBeGreaterThan(10);
      expect(items.map((client) => client.clientId).sort()).toEqual(expected.map((client) => client.clientId).sort());
      expect(totals[0]).toBe(expected.length);
      // Only the exact text: not the same letters with a digit (or anything else) for the space.
      expect((await store.list({ q: 'tal0serv' })).total).toBe(all.filter((client) => client.settings.name.toLowerCase().includes('tal0serv')).length);
      expect((await store.list({ q: 'tal-serv' })).total).toBe(0);
    });

    it('q finds a substring of the client id', async () => {
      const target = all[1234 % COUNT]!.clientId;
      const page = await store.list({ q: target.slice(6, 16).toUpperCase() });
      expect(page.items.map((client) => client.clientId)).toContain(target);
    });

    it('q shorter than three characters still searches, and % or _ are literal', async () => {
      const page = await store.list({ q: '99', limit: 500 });
      const expected = all.filter((client) => client.settings.name.includes('99') || client.clientId.includes('99'));
      expect(page.total).toBe(expected.length);
      expect((await store.list({ q: '%' })).total).toBe(all.filter((client) => client.clientId.includes('%')).length);
      expect((await store.list({ q: 'nothing-matches-this' })).total).toBe(0);
    });

    it('filters by grant type (rare and common), status and kind, alone and combined, with matching totals', async () => {
      const cases: [ListClientsQuery, (client: (typeof all)[number]) => boolean][] = [
        [{ grantType: 'authorization_code' }, (c) => c.settings.grantTypes.includes('authorization_code')],
        [{ grantType: 'client_credentials' }, (c) => c.settings.grantTypes.includes('client_credentials')],
        [{ status: 'disabled' }, (c) => c.settings.status === 'disabled'],
        [{ kind: 'sync_connector', status: 'active' }, (c) => c.settings.kind === 'sync_connector' && c.settings.status === 'active'],
        [{ grantType: 'authorization_code', status: 'active', q: 'Billing' }, (c) => c.settings.grantTypes.includes('authorization_code') && c.settings.status === 'active' && c.settings.name.includes('Billing')],
        [{ grantType: 'refresh_token' }, () => false],
      ];
      for (const [query, predicate] of cases) {
        const expected = all.filter(predicate).map((client) => client.clientId).sort();
        const { items, totals } = await pageThrough({ ...query, limit: 500 });
        expect(items.map((client) => client.clientId).sort(), JSON.stringify(query)).toEqual(expected);
        expect(totals[0], JSON.stringify(query)).toBe(expected.length);
      }
    });

    it('refuses a cursor made for another sort order, or a forged one', async () => {
      const page = await store.list({ sort: 'name', limit: 10 });
      await expect(store.list({ sort: '-createdAt', cursor: page.nextCursor! })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(store.list({ cursor: 'eyJ4Ijoi' })).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('keeps the per-filter totals in step with updates and deletes', async () => {
      const target = all[1]!;
      const before = (await store.list({ grantType: 'authorization_code' })).total;
      const current = (await store.get(target.clientId))!;
      const result = await store.update(
        target.clientId,
        current.version,
        { ...target.settings, grantTypes: ['authorization_code', 'client_credentials'], redirectUris: ['https://x.example.com/cb'] },
        'system:test',
      );
      expect(result.ok).toBe(true);
      expect((await store.list({ grantType: 'authorization_code' })).total).toBe(before + 1);
      expect((await store.list({ grantType: 'authorization_code', q: target.clientId })).items.map((client) => client.clientId)).toEqual([target.clientId]);

      const kind = target.settings.kind;
      const kindTotal = (await store.list({ kind })).total;
      const deleted = await store.delete(target.clientId, null, 'system:test');
      expect(deleted.ok).toBe(true);
      expect((await store.list({ grantType: 'authorization_code' })).total).toBe(before);
      expect((await store.list({ kind })).total).toBe(kindTotal - 1);
      expect((await store.list({})).total).toBe(COUNT - 1);
      all = all.filter((client) => client.clientId !== target.clientId);
    });

    it('a search pages by cursor in every sort order, each match once, and follows a rename and a delete', async () => {
      const matching = (name: string) => nocase(name).includes('tal serv');
      const expected = all.filter((client) => matching(client.settings.name));
      for (const sort of ['name', '-name', '-createdAt', 'clientId', 'status']) {
        const { items, totals } = await pageThrough({ q: 'tal serv', sort, limit: 40 });
        expect(items.map((client) => client.clientId).sort(), sort).toEqual(expected.map((client) => client.clientId).sort());
        expect(totals.every((total) => total === expected.length), sort).toBe(true);
        if (sort === 'name') {
          const ordered = [...expected].sort((a, b) => compareText(nocase(a.settings.name), nocase(b.settings.name)) || compareText(a.clientId, b.clientId));
          expect(items.map((client) => client.clientId)).toEqual(ordered.map((client) => client.clientId));
        }
      }

      // Renamed out of the search and into another; then deleted: gone from both.
      const renamed = expected[0]!;
      const current = (await store.get(renamed.clientId))!;
      expect((await store.update(renamed.clientId, current.version, { ...renamed.settings, name: 'Quokka Ledger' }, 'system:test')).ok).toBe(true);
      expect((await store.list({ q: 'tal serv' })).total).toBe(expected.length - 1);
      expect((await store.list({ q: 'QUOKKA' })).items.map((client) => client.clientId)).toEqual([renamed.clientId]);
      expect((await store.delete(renamed.clientId, null, 'system:test')).ok).toBe(true);
      expect((await store.list({ q: 'quokka' })).total).toBe(0);
      expect((await store.list({ q: renamed.clientId })).total).toBe(0);
      all = all.filter((client) => client.clientId !== renamed.clientId);
    });
  });

  describe(`${name}: writes, the change feed and the token endpoint's lookup`, () => {
    const DAY = 86_400_000;
    let clock = Date.parse('2026-06-01T00:00:00.000Z');
    let store: ClientStore;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ store, close } = await backend.open({ now: () => new Date(clock), tombstones: { now: () => new Date(clock) } }));
    });
    afterAll(async () => {
      await close?.();
    });

    const record = (index: number, clientId?: string) => prepareNewClient(contractSettings(index * 2 + 1), { clientId, now: new Date(clock) }).record;

    it('numbers creates, updates, secret changes and deletes in order; audits each; a delete leaves its id', async () => {
      expect(await store.lastChangeSeq()).toBe(0);
      const a = await store.create(record(1), 'user:alice');
      const b = await store.create(record(2), 'user:alice');
      expect([a.changeSeq, b.changeSeq]).toEqual([1, 2]);
      expect(a.version).toBe(1);
      expect(a.secrets).toHaveLength(1);

      const renamed = await store.update(a.clientId, 1, { ...contractSettings(3), name: 'Renamed' }, 'user:bob');
      expect(renamed).toMatchObject({ ok: true, client: { name: 'Renamed', version: 2, changeSeq: 3 } });
      expect(await store.update(a.clientId, 1, { ...contractSettings(3), name: 'Stale' }, 'user:bob')).toMatchObject({ ok: false, reason: 'version_mismatch', current: { version: 2 } });
      expect(await store.update('tsc_missing', null, contractSettings(3), 'user:bob')).toEqual({ ok: false, reason: 'not_found' });
      // Nothing changed: no new version, no number.
      const same = await store.update(a.clientId, null, { ...contractSettings(3), name: 'Renamed' }, 'user:bob');
      expect(same).toMatchObject({ ok: true, client: { version: 2, changeSeq: 3 } });

      const replaced = await store.replaceSecret(b.clientId, storedSecret('a-new-secret-that-is-long-enough-0123456789', new Date(clock).toISOString()), 'system:environment');
      expect(replaced).toMatchObject({ ok: true, client: { version: 2, changeSeq: 4 } });

      expect(await store.delete(b.clientId, 1, 'user:bob')).toMatchObject({ ok: false, reason: 'version_mismatch' });
      expect(await store.delete(b.clientId, 2, 'user:bob')).toMatchObject({ ok: true, client: { clientId: b.clientId } });
      expect(await store.get(b.clientId)).toBeNull();
      expect(await store.lastChangeSeq()).toBe(5);

      const feed = await store.changes({ since: 0, limit: 100 });
      expect(feed).toMatchObject({ deleted: [b.clientId], nextSince: 5, hasMore: false, total: 1, lastSeq: 5 });
      expect(feed.items.map((client) => [client.clientId, client.changeSeq])).toEqual([[a.clientId, 3]]);
      expect((await store.changes({ since: 3, limit: 100 })).items).toEqual([]);

      const audit = await store.auditLog();
      expect(audit.map((entry) => entry.action)).toEqual(['client.delete', 'client.secret.replace', 'client.update', 'client.create', 'client.create']);
      expect(audit[2]).toMatchObject({ actor: 'user:bob', clientId: a.clientId, changes: { name: { from: expect.any(String), to: 'Renamed' } } });
      expect((await store.auditLog({ clientId: a.clientId, limit: 1 })).map((entry) => entry.action)).toEqual(['client.update']);
      // Secrets are named by id and hint only.
      expect(JSON.stringify(audit)).not.toMatch(/a-new-secret/);
    });

    it('a write that fails takes no number; an id created again after its delete is a client again', async () => {
      const before = await store.lastChangeSeq();
      const first = record(4);
      await store.create(first, 'system:test');
      await expect(store.create({ ...record(5), clientId: first.clientId }, 'system:test')).rejects.toThrow();
      expect(await store.lastChangeSeq()).toBe(before + 1);
      await store.delete(first.clientId, null, 'system:test');
      expect((await store.changes({ since: before, limit: 10 })).deleted).toEqual([first.clientId]);
      const again = await store.create({ ...record(6), clientId: first.clientId }, 'system:test');
      expect(again.changeSeq).toBe(before + 3);
      const page = await store.changes({ since: before, limit: 10 });
      expect(page.deleted).toEqual([]);
      expect(page.items.map((client) => client.clientId)).toEqual([first.clientId]);
    });

    it('an import numbers each client on its own, in order; pages follow nextSince without a gap', async () => {
      const before = await store.lastChangeSeq();
      const records = Array.from({ length: 2_500 }, (_, index) => record(100 + index));
      await store.insertMany(records, 'system:import');
      const seen: Client[] = [];
      let since = before;
      for (let guard = 0; guard < 10; guard += 1) {
        const page = await store.changes({ since, limit: 1_000 });
        seen.push(...page.items);
        since = page.nextSince;
        if (!page.hasMore) break;
      }
      expect(seen.map((client) => client.clientId)).toEqual(records.map((r) => r.clientId));
      expect(seen.map((client) => client.changeSeq)).toEqual(records.map((_, index) => before + 1 + index));
      expect(since).toBe(before + records.length);
      expect(seen[0]!.secrets[0]).toMatchObject({ id: records[0]!.secret!.id, status: 'active' });
    });

    it('since beyond lastSeq is unknown; tombstones past retention are purged and an older since expires', async () => {
      const last = await store.lastChangeSeq();
      await expect(store.changes({ since: last + 1, limit: 10 })).rejects.toMatchObject({ reason: 'unknown' });
      const gone = await store.create(record(7), 'system:test');
      await store.delete(gone.clientId, null, 'system:test');
      clock += 29 * DAY;
      expect(await store.purgeExpiredTombstones()).toBe(0);
      clock += 2 * DAY;
      expect(await store.purgeExpiredTombstones()).toBeGreaterThanOrEqual(1);
      const error = await store.changes({ since: gone.changeSeq - 1, limit: 10 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ChangesUnavailableError);
      expect(error).toMatchObject({ reason: 'expired' });
      expect((await store.changes({ since: 0, limit: 1 })).hasMore).toBe(true);
    });

    it('secret changes: decide sees the stored client; a refusal or no plan writes nothing; a plan is one new version', async () => {
      const client = await store.create(record(8), 'system:test');
      const refused = await store.changeSecrets(client.clientId, null, () => ({ ok: false, refusal: { status: 409, type: 'urn:x', title: 'No', detail: 'no' } }), 'user:a');
      expect(refused).toMatchObject({ ok: false, reason: 'refused' });
      expect(await store.changeSecrets(client.clientId, 7, () => ({ ok: true, plan: null }), 'user:a')).toMatchObject({ ok: false, reason: 'version_mismatch' });
      const seqBefore = await store.lastChangeSeq();
      const added = storedSecret('second-secret-that-is-long-enough-0123456789', new Date(clock + 1).toISOString());
      const oldId = client.secrets[0]!.id;
      const at = new Date(clock + 3_600_000).toISOString();
      const result = await store.changeSecrets(client.clientId, 1, (current, now) => {
        expect(current.secrets.map((secret) => secret.id)).toEqual([oldId]);
        expect(now).toBe(new Date(clock).toISOString());
        return { ok: true, plan: { add: added, retire: [{ id: oldId, at }], drop: [], action: 'client.secret.create', audit: { added: added.id } } };
      }, 'user:a');
      expect(result).toMatchObject({ ok: true, client: { version: 2, changeSeq: seqBefore + 1 } });
      const secrets = (await store.get(client.clientId))!.secrets;
      expect(secrets.map((secret) => [secret.id, secret.retiresAt])).toEqual([[oldId, at], [added.id, null]]);
      const found = (await store.getWithSecretHashes(client.clientId))!;
      expect(found.secretHashes).toEqual([expect.any(String), added.hash]);
      expect(found.secrets[0]).toMatchObject({ id: oldId, retiresAt: at });
      expect((await store.auditLog({ clientId: client.clientId, limit: 1 }))[0]).toMatchObject({ action: 'client.secret.create', changes: { added: added.id } });
    });

    it('last use: recorded without a new version; in the feed on first use and then at most hourly', async () => {
      const client = await store.create(record(9), 'system:test');
      const secretId = client.secrets[0]!.id;
      const seqBefore = await store.lastChangeSeq();
      const at = (offset: number) => new Date(clock + offset).toISOString();
      await store.recordLastUse([{ clientId: client.clientId, secretId, at: at(1_000) }]);
      let stored = (await store.get(client.clientId))!;
      expect(stored).toMatchObject({ version: 1, lastUsedAt: at(1_000), changeSeq: seqBefore + 1 });
      expect(stored.secrets[0]!.lastUsedAt).toBe(at(1_000));
      await store.recordLastUse([{ clientId: client.clientId, secretId, at: at(120_000) }]);
      stored = (await store.get(client.clientId))!;
      expect(stored).toMatchObject({ lastUsedAt: at(120_000), changeSeq: seqBefore + 1 });
      // An older time never moves it back.
      await store.recordLastUse([{ clientId: client.clientId, secretId, at: at(0) }]);
      expect((await store.get(client.clientId))!.lastUsedAt).toBe(at(120_000));
      await store.recordLastUse([{ clientId: client.clientId, secretId, at: at(3_700_000) }]);
      expect((await store.get(client.clientId))!.changeSeq).toBe(seqBefore + 2);
    });

    it('labels are kept; an update without labels keeps them; an import is all or nothing; history filters', async () => {
      const labelled = await store.create({ ...record(11), settings: { ...record(11).settings, labels: ['finance', 'prod'] } }, 'user:alice');
      expect(labelled.labels).toEqual(['finance', 'prod']);
      // contractSettings() carries no labels: provisioning and repairs update like that.
      const kept = await store.update(labelled.clientId, null, { ...contractSettings(23), name: 'Relabelled?' }, 'user:alice');
      expect(kept).toMatchObject({ ok: true, client: { name: 'Relabelled?', labels: ['finance', 'prod'] } });

      const seqBefore = await store.lastChangeSeq();
      const fresh = record(12);
      const refused = await store.importClients({ creates: [fresh], updates: [{ clientId: labelled.clientId, expectedVersion: 1, settings: contractSettings(25) }] }, 'user:importer');
      expect(refused).toEqual({ ok: false, clientId: labelled.clientId, reason: 'version_mismatch' });
      expect(await store.get(fresh.clientId)).toBeNull();
      expect(await store.lastChangeSeq()).toBe(seqBefore);
      expect(await store.importClients({ creates: [{ ...fresh, clientId: labelled.clientId }], updates: [] }, 'user:importer')).toEqual({ ok: false, clientId: labelled.clientId, reason: 'exists' });

      const done = await store.importClients({ creates: [fresh], updates: [{ clientId: labelled.clientId, expectedVersion: 2, settings: { ...contractSettings(25), labels: ['imported'] } }] }, 'user:importer');
      expect(done).toEqual({ ok: true });
      expect((await store.get(fresh.clientId))!.changeSeq).toBe(seqBefore + 2);
      expect((await store.get(labelled.clientId))!).toMatchObject({ labels: ['imported'], version: 3, changeSeq: seqBefore + 1 });

      const byImporter = await store.auditLog({ actor: 'user:importer' });
      expect(byImporter.map((entry) => [entry.action, entry.clientId])).toEqual([['client.create', fresh.clientId], ['client.update', labelled.clientId]]);
      const history = await store.auditLog({ clientId: labelled.clientId, limit: 2 });
      expect(history.map((entry) => entry.action)).toEqual(['client.update', 'client.update']);
      const older = await store.auditLog({ clientId: labelled.clientId, before: history[1]!.id });
      expect(older.map((entry) => entry.action)).toEqual(['client.create']);
      expect((await store.auditLog({ action: 'client.create', actor: 'user:importer' })).map((entry) => entry.clientId)).toEqual([fresh.clientId]);
      expect(await store.auditLog({ since: '2999-01-01T00:00:00.000Z' })).toEqual([]);
    });

    it('the token endpoint\'s lookup sees this store\'s own changes at once, disabled clients too', async () => {
      const client = await store.create(record(10), 'system:test');
      expect((await store.getWithSecretHashes(client.clientId))!.client.status).toBe('active');
      await store.update(client.clientId, null, { ...contractSettings(21), status: 'disabled' }, 'system:test');
      expect((await store.getWithSecretHashes(client.clientId))!.client.status).toBe('disabled');
      await store.delete(client.clientId, null, 'system:test');
      expect(await store.getWithSecretHashes(client.clientId)).toBeNull();
      expect(await store.getWithSecretHashes('tsc_never_existed')).toBeNull();
    });
  });
}
