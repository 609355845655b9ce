// Run as a child process with no D-Bus session (keychain-unavailable.test.ts): the real keytar
// finds no Secret Service. Signs in through the real login page, lists, and prints what the app
// reported as one JSON line.
import { readdir } from 'node:fs/promises';
import { createKeytarKeychain, probeKeychain } from '../keychain.ts';
import { createTestApp, valueOf } from './app-harness.ts';

const issuer = process.env.TEST_ISSUER ?? '';
const dataDir = process.env.TEST_APP_DIR ?? '';
const password = process.env.TEST_ADMIN_PASSWORD ?? '';

const started = performance.now();
const probe = await probeKeychain(createKeytarKeychain());
const probeMs = performance.now() - started;

const t = createTestApp({ dataDir, issuer, credentials: { username: 'admin', password } });
await t.app.start();
const atStart = valueOf(await t.call('session:get', {}));
const signedIn = valueOf(await t.call('session:sign-in', {}));
valueOf(await t.call('clients:refresh', {}));
const list = valueOf(await t.snapshot());
const created = valueOf(await t.call('clients:create', { kind: 'sync_connector', name: 'No Keychain Connector' }));
await t.app.dispose();

console.log(JSON.stringify({
  probe: { available: probe.available, reason: probe.reason, ms: Math.round(probeMs) },
  atStart,
  signedIn,
  list: { complete: list.complete, count: list.items.length, persisted: list.sync.persisted },
  createdKind: created.client.kind,
  files: await readdir(dataDir),
  logEvents: t.logs.map((l) => l.event),
}));
