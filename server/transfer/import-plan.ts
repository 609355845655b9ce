// What an import would do with each client of a document (issue 11): create, update, unchanged,
// conflict or invalid (with field errors named `clients[i].<field>`). The same validation as
// create and PATCH; nothing here writes.
import { validateClientUpdate, validateCreateClient } from '../../shared/client.ts';
import type { Client, ClientSettings, FieldError } from '../../shared/client.ts';
import { ExportedClientSchema } from '../../shared/client-transfer.ts';
import type { ImportPlanItem } from '../../shared/client-transfer.ts';
import { settingsDiff } from '../client-rows.ts';
import { lockoutOf } from '../default-client-guard.ts';
import { unusableKeyErrors } from '../secrets/jwks-check.ts';

/** Ids this server hands out (`tsc_…`) and the default clients' fixed ids. */
const CLIENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$/;
const KNOWN_FIELDS = new Set(Object.keys(ExportedClientSchema.shape));
/** The fields each kind lets a PATCH change (shared/client.ts validateClientUpdate). */
const UPDATABLE: Record<Client['kind'], readonly string[]> = {
  custom: ['name', 'description', 'status', 'grantTypes', 'responseTypes', 'redirectUris', 'scopes', 'requireConsent', 'tokenEndpointAuthMethod', 'jwksUri', 'jwks', 'labels'],
  sync_connector: ['name', 'description', 'status', 'labels'],
  default: ['name', 'description', 'status', 'grantTypes', 'responseTypes', 'redirectUris', 'scopes', 'requireConsent', 'labels'],
};

export type PlannedItem = ImportPlanItem & { settings?: ClientSettings; expectedVersion?: number };

export interface PlanContext {
  scopeCatalog: readonly string[];
  get: (clientId: string) => Promise<Client | null>;
  /** The client the importing token was issued to (the lock-out guard). */
  callerClientId: string;
}

function pick(entry: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (entry[key] !== undefined) out[key] = entry[key];
  return out;
}

export async function planImport(entries: readonly unknown[], context: PlanContext): Promise<PlannedItem[]> {
  const seen = new Set<string>();
  const items: PlannedItem[] = [];
  for (const [index, raw] of entries.entries()) items.push(await planOne(index, raw, seen, context));
  return items;
}

async function planOne(index: number, raw: unknown, seen: Set<string>, context: PlanContext): Promise<PlannedItem> {
  const prefix = `clients[${index}]`;
  const at = (field: string) => (field === 'body' ? prefix : `${prefix}.${field}`);
  const invalid = (errors: FieldError[], clientId: string | null = null, name: string | null = null): PlannedItem => ({ index, clientId, name, outcome: 'invalid', errors: errors.map((e) => ({ field: at(e.field), message: e.message })) });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return invalid([{ field: 'body', message: 'Each client must be an object.' }]);
  const entry = raw as Record<string, unknown>;
  const clientId = typeof entry.clientId === 'string' ? entry.clientId : null;
  const name = typeof entry.name === 'string' ? entry.name.slice(0, 100) : null;
  const errors: FieldError[] = [];
  for (const key of Object.keys(entry)) if (!KNOWN_FIELDS.has(key)) errors.push({ field: key, message: `Unknown field "${key}".` });
  if (clientId === null || !CLIENT_ID_PATTERN.test(clientId)) errors.push({ field: 'clientId', message: 'clientId must be a client id (letters, digits, ".", "_", "~", "-"; up to 200).' });
  else if (seen.has(clientId)) errors.push({ field: 'clientId', message: `${clientId} appears twice in the file.` });
  const kind = entry.kind;
  if (kind !== 'custom' && kind !== 'sync_connector' && kind !== 'default') errors.push({ field: 'kind', message: 'kind must be "custom", "sync_connector" or "default".' });
  const status = entry.status ?? 'active';
  if (status !== 'active' && status !== 'disabled') errors.push({ field: 'status', message: 'Status must be "active" or "disabled".' });
  if (errors.length) return invalid(errors, clientId, name);
  seen.add(clientId!);
  const typedKind = kind as Client['kind'];

  const existing = await context.get(clientId!);
  if (existing) {
    if (existing.kind !== typedKind) return { index, clientId, name, outcome: 'conflict', reason: `${clientId} is a ${existing.kind} client here and a ${typedKind} client in the file.` };
    const validation = validateClientUpdate(existing, pick(entry, UPDATABLE[typedKind]), { scopeCatalog: context.scopeCatalog });
    if (!validation.ok) return invalid(validation.errors, clientId, name);
    const keyErrors = unusableKeyErrors(validation.value.jwks);
    if (keyErrors.length) return invalid(keyErrors, clientId, name);
    const fields = Object.keys(settingsDiff(existing, validation.value));
    if (fields.length === 0) return { index, clientId, name, outcome: 'unchanged' };
    if (typedKind === 'default') {
      return { index, clientId, name, outcome: 'conflict', fields, reason: `${existing.name} is a default client: an import does not change it (${fields.join(', ')} differ). Change it in the app, with confirmation.` };
    }
    const lockout = lockoutOf(existing, validation.value, context.callerClientId);
    if (lockout) return { index, clientId, name, outcome: 'conflict', fields, reason: lockout.detail };
    return { index, clientId, name, outcome: 'update', fields, settings: validation.value, expectedVersion: existing.version };
  }
  if (typedKind === 'default') return invalid([{ field: 'kind', message: `There is no default client ${clientId} on this server: default clients are provisioned by the server, not imported.` }], clientId, name);
  const createBody =
    typedKind === 'sync_connector'
      ? { kind: 'sync_connector', ...pick(entry, ['name', 'description', 'labels']) }
      : pick(
          Object.fromEntries(Object.entries(entry).filter(([key, value]) => !((key === 'jwksUri' || key === 'jwks') && value === null))),
          ['name', 'description', 'grantTypes', 'responseTypes', 'redirectUris', 'scopes', 'requireConsent', 'tokenEndpointAuthMethod', 'jwksUri', 'jwks', 'labels'],
        );
  const validation = validateCreateClient(createBody, { scopeCatalog: context.scopeCatalog });
  if (!validation.ok) return invalid(validation.errors, clientId, name);
  const keyErrors = unusableKeyErrors(validation.value.jwks);
  if (keyErrors.length) return invalid(keyErrors, clientId, name);
  return { index, clientId, name, outcome: 'create', settings: { ...validation.value, status: status as Client['status'] } };
}
