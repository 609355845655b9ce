// The 10,000 clients of the renderer search benchmark: deterministic (seeded), realistic names
// and IDs, so every run types into the same list.
import type { GrantType } from '../shared/catalogs.ts';
import type { Client } from '../shared/client.ts';

const TEAMS = ['Billing', 'Payroll', 'Analytics', 'Gateway', 'Reporting', 'Inventory', 'Search', 'Audit', 'Mailer', 'Backup', 'Metrics', 'Ledger', 'Identity', 'Storage', 'Support', 'Checkout'];
const ROLES = ['Service', 'Worker', 'Portal', 'Job', 'Connector', 'API', 'Dashboard', 'Exporter'];
const REGIONS = ['Berlin', 'Paris', 'Lyon', 'Oslo', 'Austin', 'Osaka', 'Lagos', 'Lima'];
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** mulberry32: small, fast, good enough to make a repeatable data set. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateClients(count: number, seed = 42): Client[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const start = Date.parse('2025-01-01T00:00:00.000Z');
  const clients: Client[] = [];
  for (let i = 0; i < count; i++) {
    let id = 'tsc_';
    for (let c = 0; c < 22; c++) id += ID_CHARS[Math.floor(next() * ID_CHARS.length)];
    const grants: GrantType[] = next() < 0.6 ? ['client_credentials'] : next() < 0.5 ? ['authorization_code'] : ['authorization_code', 'client_credentials'];
    const createdAt = new Date(start + Math.floor(next() * 330 * 86_400_000)).toISOString();
    const kind = next() < 0.1 ? 'sync_connector' : 'custom';
    clients.push({
      clientId: id,
      name: `${pick(TEAMS)} ${pick(ROLES)} ${pick(REGIONS)} ${i + 1}`,
      description: next() < 0.5 ? `Owned by the ${pick(TEAMS).toLowerCase()} team` : '',
      kind,
      status: next() < 0.92 ? 'active' : 'disabled',
      grantTypes: kind === 'sync_connector' ? ['client_credentials'] : grants,
      responseTypes: ['token'],
      redirectUris: grants.includes('authorization_code') ? [`https://app${i + 1}.example.com/callback`] : [],
      scopes: kind === 'sync_connector' ? ['directory:read', 'directory:write'] : ['directory:read'],
      requireConsent: false,
      tokenEndpointAuthMethod: 'client_secret_basic',
      jwksUri: null,
      jwks: null,
      // Deterministic (no draw from the generator): the rest of the data stays as it was.
      labels: i % 3 === 0 ? [`env:${i % 2 ? 'prod' : 'staging'}`, `team:${TEAMS[i % TEAMS.length]!.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`] : [],
      secrets: [{ id: `sec_${i}`, hint: id.slice(-4), createdAt, expiresAt: null, lastUsedAt: null, status: 'active', retiresAt: null }],
      lastUsedAt: null,
      createdAt,
      updatedAt: createdAt,
      version: 1,
      changeSeq: 1,
    });
  }
  return clients;
}
