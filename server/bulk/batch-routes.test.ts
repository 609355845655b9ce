// POST /api/v1/clients/batch over real HTTP against a real SQLite file: per-client results,
// default clients left out of disable and delete, labels, each change audited on its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResponse } from '../../shared/client-batch.ts';
import type { Client } from '../../shared/client.ts';
import { ADMIN_CLIENT_ID, SYNC_CLIENT_ID } from '../provisioning.ts';
import { TEST_CREDENTIALS, accessToken, api, startTestServer } from '../testing/test-server.ts';
import type { TestServer } from '../testing/test-server.ts';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await accessToken(server, ADMIN_CLIENT_ID, TEST_CREDENTIALS.adminClientSecret);
});

afterAll(async () => {
  await server?.stop();
});

async function createMany(count: number, prefix: string): Promise<Client[]> {
  const out: Client[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await api(server, 'POST', '/clients', { token, body: { name: `${prefix} ${i}`, grantTypes: ['client_credentials'], scopes: ['directory:read'] } });
    out.push(((await response.json()) as { client: Client }).client);
  }
  return out;
}

async function batch(body: unknown): Promise<Response> {
  return api(server, 'POST', '/clients/batch', { token, body });
}

describe('POST /clients/batch', () => {
  it('disables 50 clients, leaves the default client out with a note, and audits each change on its own', async () => {
    const clients = await createMany(49, 'Bulk');
    const ids = [...clients.map((c) => c.clientId), SYNC_CLIENT_ID];
    const response = await batch({ action: 'disable', clientIds: ids });
    expect(response.status).toBe(200);
    const body = (await response.json()) as BatchResponse;
    expect(body).toMatchObject({ action: 'disable', succeeded: 49, failed: 1 });
    const skipped = body.results.find((r) => r.clientId === SYNC_CLIENT_ID)!;
    expect(skipped).toMatchObject({ ok: false, problem: { status: 409, title: 'Default client left out', detail: expect.stringContaining('not disabled in bulk') } });
    expect((await server.clients.get(SYNC_CLIENT_ID))!.status).toBe('active');
    for (const client of clients) expect((await server.clients.get(client.clientId))!.status).toBe('disabled');
    const audit = await server.clients.auditLog({ clientId: clients[7]!.clientId });
    expect(audit[0]).toMatchObject({ action: 'client.update', actor: `client:${ADMIN_CLIENT_ID}`, changes: { status: { from: 'active', to: 'disabled' } } });

    const again = (await (await batch({ action: 'enable', clientIds: ids })).json()) as BatchResponse;
    expect(again.succeeded).toBe(50);
    expect(again.results.find((r) => r.clientId === SYNC_CLIENT_ID)).toMatchObject({ ok: true, unchanged: true });
  });

  it('adds and removes a label; a client that already has it is unchanged; a missing client fails in its row only', async () => {
    const [a, b] = await createMany(2, 'Labels');
    await batch({ action: 'addLabel', clientIds: [a!.clientId], label: 'team:payments' });
    const added = (await (await batch({ action: 'addLabel', clientIds: [a!.clientId, b!.clientId, 'tsc_missing'], label: 'team:payments' })).json()) as BatchResponse;
    expect(added.results.map((r) => (r.ok ? (r.unchanged ? 'unchanged' : 'ok') : r.problem.status))).toEqual(['unchanged', 'ok', 404]);
    expect((await server.clients.get(b!.clientId))!.labels).toEqual(['team:payments']);
    const removed = (await (await batch({ action: 'removeLabel', clientIds: [a!.clientId, b!.clientId], label: 'team:payments' })).json()) as BatchResponse;
    expect(removed.succeeded).toBe(2);
    expect((await server.clients.get(a!.clientId))!.labels).toEqual([]);
  });

  it('deletes clients but never a default one', async () => {
    const [a] = await createMany(1, 'Delete');
    const body = (await (await batch({ action: 'delete', clientIds: [a!.clientId, ADMIN_CLIENT_ID] })).json()) as BatchResponse;
    expect(body.results.map((r) => r.ok)).toEqual([true, false]);
    expect(await server.clients.get(a!.clientId)).toBeNull();
    expect(await server.clients.get(ADMIN_CLIENT_ID)).not.toBeNull();
  });

  it('refuses bad requests naming the field, and changes nothing', async () => {
    const [a] = await createMany(1, 'Refused');
    const cases: [unknown, string[]][] = [
      [{ action: 'explode', clientIds: [a!.clientId] }, ['action']],
      [{ action: 'addLabel', clientIds: [a!.clientId] }, ['label']],
      [{ action: 'addLabel', clientIds: [a!.clientId], label: 'Not A Label' }, ['label']],
      [{ action: 'enable', clientIds: [a!.clientId], label: 'x' }, ['label']],
      [{ action: 'disable', clientIds: [a!.clientId, a!.clientId] }, ['clientIds[1]']],
      [{ action: 'disable', clientIds: [] }, ['clientIds']],
      [{ action: 'disable', clientIds: Array.from({ length: 1001 }, (_, i) => `tsc_${i}`) }, ['clientIds']],
    ];
    for (const [body, fields] of cases) {
      const response = await batch(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(fields);
    }
    expect((await server.clients.get(a!.clientId))!.version).toBe(a!.version);
  });
});
