// Bulk actions on clients (issue 11): POST /api/v1/clients/batch. One request names up to 1,000
// clients; each is changed (and audited) on its own, and the answer says, client by client,
// whether it worked or what the problem was.
import { z } from 'zod';
import { ClientSchema } from './client.ts';

export const BATCH_MAX = 1_000;
export const BATCH_ACTIONS = ['enable', 'disable', 'addLabel', 'removeLabel', 'delete'] as const;
export type BatchAction = (typeof BATCH_ACTIONS)[number];

export const BatchRequestSchema = z
  .object({
    action: z.enum(BATCH_ACTIONS, { error: `action must be one of ${BATCH_ACTIONS.join(', ')}.` }),
    clientIds: z
      .array(z.string({ error: 'Each client id must be text.' }).min(1, { error: 'A client id cannot be empty.' }).max(200, { error: 'A client id can be at most 200 characters.' }), {
        error: 'clientIds must be a list of client ids.',
      })
      .min(1, { error: 'Name at least one client.' })
      .max(BATCH_MAX, { error: `At most ${BATCH_MAX} clients in one batch.` }),
    /** addLabel and removeLabel only. */
    label: z.string({ error: 'label must be text.' }).optional(),
  })
  .strict();
export type BatchRequest = z.infer<typeof BatchRequestSchema>;

export const BatchProblemSchema = z.object({ status: z.number().int(), type: z.string(), title: z.string(), detail: z.string() });

export const BatchResultSchema = z.union([
  /** `client` is the client after the change (absent for a delete); `unchanged`: it already was so. */
  z.object({ clientId: z.string(), ok: z.literal(true), unchanged: z.boolean(), client: ClientSchema.optional() }),
  z.object({ clientId: z.string(), ok: z.literal(false), problem: BatchProblemSchema }),
]);
export type BatchResult = z.infer<typeof BatchResultSchema>;

export const BatchResponseSchema = z.object({
  action: z.enum(BATCH_ACTIONS),
  results: z.array(BatchResultSchema),
  succeeded: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type BatchResponse = z.infer<typeof BatchResponseSchema>;

/** Actions that never touch a default client (they are left out, with a note). */
export const SKIPS_DEFAULT_CLIENTS: readonly BatchAction[] = ['disable', 'delete'];
