// How a client is kept in SQLite (the row shapes of database.ts) and turned into the API's
// resource: one encoding shared by the store's writes, its list queries and the change feed.
import { GRANT_TYPES } from '../shared/catalogs.ts';
import type { GrantType } from '../shared/catalogs.ts';
import { secretStatusAt } from '../shared/client.ts';
import type { Client, ClientSettings, Jwks, SecretMeta } from '../shared/client.ts';

/** Grant types as bits, in GRANT_TYPES order: `grant_mask & bit` is the grant-type filter. */
export function grantMask(grants: readonly GrantType[]): number {
  return grants.reduce((mask, grant) => mask | (1 << GRANT_TYPES.indexOf(grant)), 0);
}

export interface ClientRow {
  seq: number;
  client_id: string;
  name: string;
  description: string;
  kind: Client['kind'];
  status: Client['status'];
  grant_types: string;
  response_types: string;
  redirect_uris: string;
  scopes: string;
  require_consent: number;
  token_endpoint_auth_method: Client['tokenEndpointAuthMethod'];
  jwks_uri: string | null;
  /** JSON text of the key set. */
  jwks: string | null;
  last_used_at: string | null;
  /** JSON list of labels. */
  labels: string;
  created_at: string;
  updated_at: string;
  version: number;
  change_seq: number;
}

export interface SecretRow {
  id: string;
  client_id: string;
  hash: string;
  hint: string;
  created_at: string;
  expires_at: string | null;
  retires_at: string | null;
  last_used_at: string | null;
}

/** A secret's metadata as the API shows it; its status is computed for `now` (ISO text). */
export function toSecretMeta(row: Omit<SecretRow, 'hash' | 'client_id'>, now: string): SecretMeta {
  return {
    id: row.id,
    hint: row.hint,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    status: secretStatusAt({ expiresAt: row.expires_at, retiresAt: row.retires_at }, now),
    retiresAt: row.retires_at,
  };
}

/** The columns of client_secrets the resource shows (all in the covering index). */
export const SECRET_META_COLUMNS = 'id, client_id, hint, created_at, expires_at, retires_at, last_used_at';

/** The columns a client resource is made of (what the change feed selects). */
export const CLIENT_COLUMNS = 'client_id, name, description, kind, status, grant_types, response_types, redirect_uris, scopes, require_consent, token_endpoint_auth_method, jwks_uri, jwks, labels, last_used_at, created_at, updated_at, version, change_seq';

export function toClient(row: Omit<ClientRow, 'seq' | 'grant_mask'>, secrets: SecretMeta[]): Client {
  return {
    clientId: row.client_id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    status: row.status,
    grantTypes: JSON.parse(row.grant_types) as Client['grantTypes'],
    responseTypes: JSON.parse(row.response_types) as Client['responseTypes'],
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    scopes: JSON.parse(row.scopes) as string[],
    requireConsent: row.require_consent === 1,
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    jwksUri: row.jwks_uri,
    jwks: row.jwks === null ? null : (JSON.parse(row.jwks) as Jwks),
    labels: JSON.parse(row.labels ?? '[]') as string[],
    secrets,
    lastUsedAt: row.last_used_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    changeSeq: row.change_seq,
  };
}

/** The columns of a client that an update can change, as SQLite stores them (one encoding for insert and update). */
export function changeableColumns(settings: ClientSettings) {
  return {
    name: settings.name,
    description: settings.description,
    status: settings.status,
    grantTypes: JSON.stringify(settings.grantTypes),
    grantMask: grantMask(settings.grantTypes),
    responseTypes: JSON.stringify(settings.responseTypes),
    redirectUris: JSON.stringify(settings.redirectUris),
    scopes: JSON.stringify(settings.scopes),
    requireConsent: settings.requireConsent ? 1 : 0,
    tokenEndpointAuthMethod: settings.tokenEndpointAuthMethod,
    jwksUri: settings.jwksUri ?? null,
    jwks: settings.jwks ? JSON.stringify(settings.jwks) : null,
    labels: JSON.stringify(settings.labels ?? []),
  };
}

/** The fields an update changed, as `{field: {from, to}}`, for the audit log. */
export function settingsDiff(before: Client, after: ClientSettings): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof ClientSettings)[]) {
    const from = before[key];
    const to = after[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) diff[key] = { from, to };
  }
  return diff;
}
