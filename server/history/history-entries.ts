// Audit records (server/client-store.ts AuditEntry, written in each change's transaction) as the
// history entries the API answers (shared/history.ts): who by name, and each field before → after.
// Records keep the shape they were written in (`{field: {from, to}}` for updates, the settings
// for a create, the removed client for a delete, the secret plans of rotation and retirement);
// this is the one place that reads them.
import type { FieldChange, HistoryActor, HistoryEntry } from '../../shared/history.ts';
import type { AuditEntry } from '../client-store.ts';

/** Fields of a stored client that are bookkeeping, not settings: not shown as changes. */
const BOOKKEEPING = new Set(['clientId', 'kind', 'version', 'changeSeq', 'createdAt', 'updatedAt', 'lastUsedAt']);

/** Names for actors: a user's display name, a client's name; undefined when it no longer exists. */
export interface ActorNames {
  user(username: string): string | undefined | Promise<string | undefined>;
  client(clientId: string): string | undefined | Promise<string | undefined>;
}

export async function actorOf(actor: string, names: ActorNames): Promise<HistoryActor> {
  const colon = actor.indexOf(':');
  const type = colon === -1 ? 'system' : actor.slice(0, colon);
  const id = colon === -1 ? actor : actor.slice(colon + 1);
  if (type === 'user') return { type, id, name: (await names.user(id)) ?? id };
  if (type === 'client') return { type, id, name: (await names.client(id)) ?? id };
  return { type: 'system', id, name: `ThetaSecure server (${id})` };
}

/**
 * Secrets only ever by id and hint (and their dates); a hash never leaves, whatever an old
 * record may hold. Applied to every value shown.
 */
export function withoutSecretValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecretValues);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'hash' || key === 'secretHash' || key === 'clientSecret') continue;
    out[key] = withoutSecretValues(inner);
  }
  return out;
}

function isFromTo(value: unknown): value is { from: unknown; to: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'from' in value && 'to' in value && Object.keys(value).length === 2;
}

export function changesOf(entry: Pick<AuditEntry, 'action' | 'changes'>): FieldChange[] {
  const out: FieldChange[] = [];
  const push = (field: string, before: unknown, after: unknown) => out.push({ field, before: withoutSecretValues(before ?? null), after: withoutSecretValues(after ?? null) });
  for (const [field, value] of Object.entries(entry.changes)) {
    switch (entry.action) {
      case 'client.create':
        if (BOOKKEEPING.has(field)) continue;
        if (field === 'secret') push('secrets', [], value === null ? [] : [value]);
        else push(field, null, value);
        break;
      case 'client.delete':
        if (BOOKKEEPING.has(field)) continue;
        push(field, value, null);
        break;
      case 'client.update':
      case 'client.secret.replace':
        if (isFromTo(value)) push(field, value.from, value.to);
        else push(field, null, value);
        break;
      default:
        // Rotation (`secret`, `retiring`, `dropped`) and retirement (`secret`): what was added or stopped.
        if (Array.isArray(value) && value.length === 0) continue;
        push(field, null, value);
    }
  }
  return out;
}

export async function historyEntryOf(entry: AuditEntry, names: ActorNames): Promise<HistoryEntry> {
  return { id: entry.id, at: entry.at, actor: await actorOf(entry.actor, names), action: entry.action, clientId: entry.clientId, changes: changesOf(entry) };
}
