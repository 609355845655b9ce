// How a history entry reads (issue 11): field names as the form calls them, grant and response
// types by their labels, lists as added/removed, secrets by hint; and what "Revert this change"
// sends (a normal PATCH with the old values of the fields that can be set).
import { grantTypeLabel, responseTypeLabel } from '../../../shared/catalogs.ts';
import type { GrantType, ResponseType } from '../../../shared/catalogs.ts';
import type { Client, UpdateClientInput } from '../../../shared/client.ts';
import type { FieldChange, HistoryEntry } from '../../../shared/history.ts';

export const FIELD_LABELS: Record<string, string> = {
  name: 'Client Name',
  description: 'Description',
  status: 'Status',
  grantTypes: 'Grant Types',
  responseTypes: 'Response Types',
  redirectUris: 'Redirect URIs',
  scopes: 'Scopes',
  requireConsent: 'Require User Consent',
  tokenEndpointAuthMethod: 'Client authentication',
  jwksUri: 'JWKS URI',
  jwks: 'Public keys',
  labels: 'Labels',
  secrets: 'Secrets',
  secret: 'Secret',
  retiring: 'Retiring',
  dropped: 'Dropped',
};

export const ACTION_LABELS: Record<HistoryEntry['action'], string> = {
  'client.create': 'created the client',
  'client.update': 'changed',
  'client.delete': 'deleted the client',
  'client.secret.replace': 'replaced the secret',
  'client.secret.create': 'added a secret',
  'client.secret.retire': 'retired a secret',
};

/** Fields a PATCH can set back. */
const REVERTIBLE = ['name', 'description', 'status', 'grantTypes', 'responseTypes', 'redirectUris', 'scopes', 'requireConsent', 'tokenEndpointAuthMethod', 'jwksUri', 'jwks', 'labels'] as const;
type Revertible = (typeof REVERTIBLE)[number];

export type ChangeView =
  | { kind: 'value'; field: string; label: string; before: string | null; after: string | null }
  | { kind: 'list'; field: string; label: string; added: string[]; removed: string[] };

function itemText(field: string, item: unknown): string {
  if (field === 'grantTypes' && typeof item === 'string') return grantTypeLabel(item as GrantType);
  if (field === 'responseTypes' && typeof item === 'string') return responseTypeLabel(item as ResponseType);
  if (item && typeof item === 'object' && 'hint' in item) return `secret ending ${String((item as { hint: unknown }).hint).replace(/^…/, '')}`;
  return typeof item === 'string' ? item : JSON.stringify(item);
}

function valueText(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (field === 'status') return value === 'active' ? 'Active' : value === 'disabled' ? 'Disabled' : String(value);
  if (field === 'description' && value === '') return '(empty)';
  if (typeof value === 'string') return value;
  if (field === 'jwks' && typeof value === 'object') return `${((value as { keys?: unknown[] }).keys ?? []).length} public key(s)`;
  if (typeof value === 'object' && 'hint' in value) return itemText(field, value);
  return JSON.stringify(value);
}

export function changeView(change: FieldChange): ChangeView {
  const label = FIELD_LABELS[change.field] ?? change.field;
  const before = change.before;
  const after = change.after;
  if (Array.isArray(before) || Array.isArray(after)) {
    const from = (Array.isArray(before) ? before : []).map((item) => itemText(change.field, item));
    const to = (Array.isArray(after) ? after : []).map((item) => itemText(change.field, item));
    return { kind: 'list', field: change.field, label, added: to.filter((item) => !from.includes(item)), removed: from.filter((item) => !to.includes(item)) };
  }
  return { kind: 'value', field: change.field, label, before: valueText(change.field, before), after: valueText(change.field, after) };
}

/** The PATCH that puts the fields of an update back as they were before it; null when nothing in it can be set. */
export function revertPatch(entry: HistoryEntry): UpdateClientInput | null {
  if (entry.action !== 'client.update') return null;
  const patch: Record<string, unknown> = {};
  for (const change of entry.changes) {
    if (!(REVERTIBLE as readonly string[]).includes(change.field)) continue;
    patch[change.field as Revertible] = change.before;
  }
  return Object.keys(patch).length ? (patch as UpdateClientInput) : null;
}

/** Fields of the revert that someone changed again after this entry (the revert overwrites them too). */
export function changedSince(entry: HistoryEntry, client: Client): string[] {
  const out: string[] = [];
  for (const change of entry.changes) {
    if (!(REVERTIBLE as readonly string[]).includes(change.field)) continue;
    const now = (client as unknown as Record<string, unknown>)[change.field] ?? null;
    if (JSON.stringify(now) !== JSON.stringify(change.after ?? null)) out.push(FIELD_LABELS[change.field] ?? change.field);
  }
  return out;
}
