// Stopping and starting the server on the same data folder keeps clients, signing keys (tokens
// issued before the restart still work), users and secrets, and provisions nothing twice.
import fs from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { Client } from '../shared/client.ts';
import { startServer } from './app.ts';
import type { RunningServer } from './app.ts';
import { ADMIN_CLIENT_ID, SYNC_CLIENT_ID } from './provisioning.ts';
import { discoverAdminConsole, signInWithPkce, startLoopbackListener } from './testing/sign-in.ts';
import { accessToken, api, clientCredentialsToken, makeDataDir } from './testing/test-server.ts';

const dataDirs: string[] = [];
afterAll(async () => {
  await Promise.all(dataDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

async function jwks(server: RunningServer): Promise<unknown> {
  return (await fetch(`${server.url}/jwks`)).json();
}

describe('restart on the same data folder', () => {
  it('keeps clients, keys, users and secrets; generated credentials are shown on the first start only', async () => {
    const dataDir = await makeDataDir();
    dataDirs.push(dataDir);

    // First start without configured credentials: everything is generated.
    const first = await startServer({ port: 0, dataDir, quiet: true });
    const generated = first.generated!;
    expect(generated).toEqual({
      adminPassword: expect.stringMatching(/^[A-Za-z0-9_-]{20}$/),
      helpdeskPassword: expect.stringMatching(/^[A-Za-z0-9_-]{20}$/),
      adminClientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      syncClientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const tokenBefore = await accessToken(first, ADMIN_CLIENT_ID, generated.adminClientSecret!);
    const created = await api(first, 'POST', '/clients', { token: tokenBefore, body: { name: 'Survives Restart', grantTypes: ['client_credentials'], scopes: ['clients:read'] } });
    const { client, clientSecret } = (await created.json()) as { client: Client; clientSecret: string };
    const keysBefore = await jwks(first);
    const countBefore = await first.clients.count();
    expect(countBefore).toBe(6);
    await first.close();

    // Second start on the same port (so the same issuer): nothing generated, nothing duplicated, same keys.
    const second = await startServer({ port: first.port, dataDir, quiet: true });
    expect(second.issuer).toBe(first.issuer);
    try {
      expect(second.generated).toBeNull();
      expect(await second.clients.count()).toBe(countBefore);
      const defaults = await api(second, 'GET', '/clients?kind=default', { token: tokenBefore });
      expect(defaults.status).toBe(200);
      expect(((await defaults.json()) as { total: number }).total).toBe(5);
      expect(await jwks(second)).toEqual(keysBefore);

      // The access token issued before the restart still works.
      const me = await api(second, 'GET', '/me', { token: tokenBefore });
      expect(me.status).toBe(200);

      // The created client and its secret, and the generated secrets and passwords, still work.
      expect((await api(second, 'GET', `/clients/${client.clientId}`, { token: tokenBefore })).status).toBe(200);
      expect((await clientCredentialsToken(second, client.clientId, clientSecret, 'clients:read')).status).toBe(200);
      expect((await clientCredentialsToken(second, SYNC_CLIENT_ID, generated.syncClientSecret!, 'directory:read')).status).toBe(200);
      const listener = await startLoopbackListener();
      try {
        const config = await discoverAdminConsole(second.issuer);
        const { tokens } = await signInWithPkce(config, listener, { username: 'helpdesk', password: generated.helpdeskPassword! });
        expect((await api(second, 'GET', '/me', { token: tokens.access_token })).status).toBe(200);
      } finally {
        await listener.close();
      }
    } finally {
      await second.close();
    }
  });

  it('a deleted default client stays deleted; configured credentials are applied again on a later start', async () => {
    const dataDir = await makeDataDir();
    dataDirs.push(dataDir);
    const first = await startServer({ port: 0, dataDir, quiet: true, adminClientSecret: 'first-admin-client-secret-0123456789' });
    expect(first.generated).not.toHaveProperty('adminClientSecret');
    const token = await accessToken(first, ADMIN_CLIENT_ID, 'first-admin-client-secret-0123456789');
    const del = await api(first, 'DELETE', `/clients/${SYNC_CLIENT_ID}`, { token, headers: { 'confirm-default-client': SYNC_CLIENT_ID } });
    expect(del.status).toBe(204);
    await first.close();

    const second = await startServer({ port: 0, dataDir, quiet: true, adminClientSecret: 'second-admin-client-secret-0123456789' });
    try {
      expect(await second.clients.count()).toBe(4);
      expect((await clientCredentialsToken(second, ADMIN_CLIENT_ID, 'first-admin-client-secret-0123456789', 'clients:read')).status).toBe(401);
      expect((await clientCredentialsToken(second, ADMIN_CLIENT_ID, 'second-admin-client-secret-0123456789', 'clients:read')).status).toBe(200);
      const audit = await second.clients.auditLog({ clientId: ADMIN_CLIENT_ID });
      expect(audit[0]).toMatchObject({ action: 'client.secret.replace', actor: 'system:environment' });
    } finally {
      await second.close();
    }
  });
});
