// Who changed what (issue 11): a client's history and the audit log across clients, as the
// admin API answers them (GET /api/v1/clients/{clientId}/history, GET /api/v1/audit). The
// server turns its audit records into these entries; the app shows them in the History tab.
import { z } from 'zod';

export const AUDIT_ACTIONS = ['client.create', 'client.update', 'client.delete', 'client.secret.replace', 'client.secret.create', 'client.secret.retire'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const HISTORY_LIMIT_MAX = 200;
export const HISTORY_LIMIT_DEFAULT = 50;

export const HistoryActorSchema = z.object({
  /** `system` is the server itself (provisioning, repairs at start). */
  type: z.enum(['user', 'client', 'system']),
  /** The user name, the client id, or what the system did. */
  id: z.string(),
  /** The user's or client's display name as it is now (the id when it no longer exists). */
  name: z.string(),
});
export type HistoryActor = z.infer<typeof HistoryActorSchema>;

/** One changed field; `before` is null for a create, `after` null for a delete. Secrets only as `{id, hint}`. */
export const FieldChangeSchema = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
export type FieldChange = z.infer<typeof FieldChangeSchema>;

export const HistoryEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: HistoryActorSchema,
  action: z.enum(AUDIT_ACTIONS),
  clientId: z.string().nullable(),
  changes: z.array(FieldChangeSchema),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const HistoryPageSchema = z.object({
  items: z.array(HistoryEntrySchema),
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: z.string().nullable(),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

const limit = z.coerce
  .number({ error: 'limit must be a number.' })
  .int({ error: 'limit must be a whole number.' })
  .min(1, { error: 'limit must be at least 1.' })
  .max(HISTORY_LIMIT_MAX, { error: `limit can be at most ${HISTORY_LIMIT_MAX}.` })
  .default(HISTORY_LIMIT_DEFAULT);
const cursor = z.string().max(100, { error: 'cursor is not valid.' }).regex(/^[A-Za-z0-9_-]+$/, { error: 'cursor is not valid.' }).optional();

export const HistoryQuerySchema = z.object({ cursor, limit }).strict();
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

export const AuditQuerySchema = z
  .object({
    since: z.iso.datetime({ offset: true, error: 'since must be a date and time such as 2026-12-01T00:00:00Z.' }).optional(),
    /** `user:<username>` or `client:<clientId>` (or `system:<what>`). */
    actor: z
      .string()
      .max(200, { error: 'actor can be at most 200 characters.' })
      .regex(/^(user|client|system):[^\s]+$/, { error: 'actor must be user:<username>, client:<clientId> or system:<what>.' })
      .optional(),
    action: z.enum(AUDIT_ACTIONS, { error: `action must be one of ${AUDIT_ACTIONS.join(', ')}.` }).optional(),
    cursor,
    limit,
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** The keyset cursor of a history page: the id of the last entry shown, opaque to callers. */
export function encodeHistoryCursor(id: number): string {
  return `h${id.toString(36)}`;
}

export function decodeHistoryCursor(cursor: string): number | null {
  if (!/^h[0-9a-z]{1,11}$/.test(cursor)) return null;
  const id = Number.parseInt(cursor.slice(1), 36);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
