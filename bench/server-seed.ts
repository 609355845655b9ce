// Seeds many realistic clients straight into the server's SQLite store through its bulk API
// (`insertMany`, one transaction per batch), so that the benchmark measures the store the server
// really uses without paying for 100,000 HTTP requests. Names, kinds, statuses, grant types and
// dates vary the way a large tenant's would; a seeded PRNG makes every run seed the same data.
import crypto from 'node:crypto';
import { BUILTIN_SCOPES, SYNC_CONNECTOR_PRESET } from '../shared/catalogs.ts';
import { clientSettingsErrors } from '../shared/client.ts';
import type { ClientSettings } from '../shared/client.ts';
import type { ClientStore, NewClient } from '../server/client-store.ts';
import { openDatabase } from '../server/database.ts';
import { prepareNewClient } from '../server/new-client.ts';
import { SqliteClientStore } from '../server/sqlite-client-store.ts';

/** mulberry32: small, fast, good enough to vary benchmark data reproducibly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

const ORGANISATIONS = [
  'Acme', 'Contoso', 'Fabrikam', 'Northwind', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Tyrell',
  'Cyberdyne', 'Soylent', 'Hooli', 'Pied Piper', 'Aperture', 'Vandelay', 'Wonka', 'Oscorp', 'Massive Dynamic', 'Monarch',
  'Blue Sun', 'Gringotts', 'Dunder Mifflin', 'Sterling Cooper', 'Bluth', 'Prestige', 'Krusty', 'Gekko', 'Nakatomi', 'Yoyodyne',
  'Zorg', 'Weyland', 'Encom', 'Duff', 'Virtucon', 'Benthic', 'Spacely', 'Cogswell', 'Omni', 'Rekall',
];
const SYSTEMS = [
  'Billing', 'Payroll', 'CRM', 'Inventory', 'Analytics', 'Reporting', 'Data Lake', 'Warehouse', 'Checkout', 'Search',
  'Notifications', 'Messaging', 'Ledger', 'Invoicing', 'HR Portal', 'Helpdesk', 'Ticketing', 'Monitoring', 'Backup', 'Audit',
  'Identity Bridge', 'Partner Portal', 'Mobile Backend', 'Customer Portal', 'Scheduler', 'ETL', 'Forecasting', 'Pricing', 'Shipping', 'Logistics',
  'Fraud Detection', 'Risk Engine', 'Document Store', 'Signing', 'Compliance', 'Marketing', 'Campaigns', 'Loyalty', 'Procurement', 'Expenses',
  'Timesheets', 'Recruiting', 'Learning', 'Wiki', 'Build Server', 'Deploy Bot', 'Feature Flags', 'Metrics', 'Tracing', 'Gateway',
];
const ROLES = ['API', 'Service', 'Worker', 'Integration', 'Connector', 'Exporter', 'Importer', 'Agent', 'Web App', 'Dashboard', 'CLI', 'Job', 'Bot', 'Proxy', 'Client'];
const ENVIRONMENTS = ['Production', 'Prod', 'Staging', 'QA', 'Dev', 'Sandbox', 'EU', 'US', 'APAC'];
const DIRECTORIES = ['Active Directory', 'Azure AD', 'Entra ID', 'Okta', 'Google Workspace', 'OpenLDAP', 'Workday', 'BambooHR', 'SAP SuccessFactors', 'JumpCloud'];
const API_SCOPES = BUILTIN_SCOPES.map((scope) => scope.name).filter((name) => name.includes(':'));
const SCOPE_CATALOG = BUILTIN_SCOPES.map((scope) => scope.name);

function kebab(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** A client name in one of the styles real tenants mix: "Acme Billing API (Prod)", "acme-billing-worker", ... */
function clientName(random: () => number): string {
  const organisation = pick(random, ORGANISATIONS);
  const system = pick(random, SYSTEMS);
  const role = pick(random, ROLES);
  const style = random();
  if (style < 0.45) return `${organisation} ${system} ${role}`;
  if (style < 0.7) return `${organisation} ${system} ${role} (${pick(random, ENVIRONMENTS)})`;
  if (style < 0.9) return `${kebab(organisation)}-${kebab(system)}-${kebab(role)}-${kebab(pick(random, ENVIRONMENTS))}`;
  return `${system} ${role} ${Math.floor(random() * 900) + 100}`;
}

function clientId(random: () => number): string {
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Math.floor(random() * 256);
  return `tsc_${bytes.toString('base64url')}`;
}

function customSettings(random: () => number, name: string, status: ClientSettings['status']): ClientSettings {
  const pattern = random();
  const base = { name, description: random() < 0.6 ? `${name}: managed by the platform team.` : '', kind: 'custom' as const, status, responseTypes: ['token' as const], requireConsent: false, tokenEndpointAuthMethod: 'client_secret_basic' as const };
  if (pattern < 0.6) {
    const scopes = API_SCOPES.filter(() => random() < 0.35);
    return { ...base, grantTypes: ['client_credentials'], redirectUris: [], scopes: scopes.length ? scopes : ['directory:read'] };
  }
  const host = `${kebab(name).slice(0, 40) || 'app'}.example.com`;
  const redirectUris = random() < 0.2 ? ['http://127.0.0.1/callback'] : [`https://${host}/oauth/callback`, ...(random() < 0.3 ? [`https://${host}/silent-renew`] : [])];
  const scopes = ['openid', 'profile', ...(random() < 0.5 ? ['email'] : [])];
  if (pattern < 0.92) return { ...base, grantTypes: ['authorization_code'], redirectUris, scopes };
  return { ...base, grantTypes: ['authorization_code', 'client_credentials'], redirectUris, scopes: [...scopes, 'directory:read'] };
}

function syncConnectorSettings(random: () => number, status: ClientSettings['status']): ClientSettings {
  const name = `${pick(random, ORGANISATIONS)} ${pick(random, DIRECTORIES)} Sync${random() < 0.3 ? ` (${pick(random, ENVIRONMENTS)})` : ''}`;
  return {
    ...SYNC_CONNECTOR_PRESET,
    name,
    description: '',
    status,
    grantTypes: [...SYNC_CONNECTOR_PRESET.grantTypes],
    responseTypes: [...SYNC_CONNECTOR_PRESET.responseTypes],
    redirectUris: [],
    scopes: [...SYNC_CONNECTOR_PRESET.scopes],
  };
}

/** One seeded client: 85 % custom, 15 % sync connectors; 8 % disabled; created over the last three years. */
export function generateClient(random: () => number, nowMs: number): NewClient {
  const status = random() < 0.08 ? 'disabled' : 'active';
  const settings = random() < 0.15 ? syncConnectorSettings(random, status) : customSettings(random, clientName(random), status);
  const createdAt = new Date(nowMs - Math.floor(random() * 3 * 365 * 24 * 3600 * 1000));
  // The secret itself is random and thrown away: only its SHA-256 hash is stored, as for real clients.
  return prepareNewClient(settings, { clientId: clientId(random), now: createdAt, secret: crypto.randomBytes(32).toString('base64url') }).record;
}

export interface SeedResult {
  count: number;
  /** The seeded names, to draw realistic search fragments from. */
  names: string[];
  seconds: number;
}

/** Seeds `count` clients into the database in `dataDir` (created if needed) and closes it. */
export async function seedClients(dataDir: string, count: number, options: { seed?: number; batchSize?: number; onProgress?: (done: number) => void; store?: ClientStore } = {}): Promise<SeedResult> {
  const random = seededRandom(options.seed ?? 20_240_601);
  const batchSize = options.batchSize ?? 10_000;
  const started = performance.now();
  // Another back end's store (PostgreSQL) when given; else the SQLite file in dataDir.
  const db = options.store ? null : openDatabase(dataDir);
  const names: string[] = [];
  try {
    const store = options.store ?? new SqliteClientStore(db!);
    const nowMs = Date.now();
    for (let done = 0; done < count; ) {
      const batch: NewClient[] = [];
      for (; batch.length < batchSize && done < count; done += 1) {
        const client = generateClient(random, nowMs);
        // The seed must be data the API could have accepted: check a sample against the shared rules.
        if (done < 2_000) {
          const errors = clientSettingsErrors(client.settings, { scopeCatalog: SCOPE_CATALOG });
          if (errors.length) throw new Error(`seed generator made an invalid client: ${JSON.stringify(errors)}`);
        }
        names.push(client.settings.name);
        batch.push(client);
      }
      await store.insertMany(batch, 'system:benchmark-seed');
      options.onProgress?.(done);
    }
  } finally {
    db?.close();
  }
  return { count, names, seconds: (performance.now() - started) / 1000 };
}
