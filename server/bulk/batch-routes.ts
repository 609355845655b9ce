// POST /api/v1/clients/batch (issue 11): one action on up to 1,000 clients. Each client is its own
// write with its own audit record, under the rules a PATCH or DELETE of that client follows (the
// shared validation, the lock-out guard); one that fails is reported in its row and the others
// go on. Default clients are left out of disable and delete: those need the typed confirmation
// of the client's own dialog, which a bulk action cannot give per client.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BatchRequestSchema, SKIPS_DEFAULT_CLIENTS } from '../../shared/client-batch.ts';
import type { BatchAction, BatchResponse, BatchResult } from '../../shared/client-batch.ts';
import { validateClientUpdate, zodFieldErrors } from '../../shared/client.ts';
import type { Client, FieldError, UpdateClientInput } from '../../shared/client.ts';
import { labelProblem } from '../../shared/labels.ts';
import type { Principal } from '../access-token.ts';
import type { ClientStore } from '../client-store.ts';
import { lockoutOf } from '../default-client-guard.ts';
import { PROBLEM, sendJson } from '../http-util.ts';
import { unusableKeyErrors } from '../secrets/jwks-check.ts';

export interface BatchRouteOptions {
  clients: ClientStore;
  scopeCatalog: readonly string[];
  authenticate: (req: IncomingMessage, requiredScope: string | null) => Promise<Principal>;
  jsonBody: (req: IncomingMessage) => Promise<unknown>;
  validationProblem: (errors: FieldError[], detail?: string) => Error;
  actorOf: (principal: Principal) => string;
}

type Problem = Extract<BatchResult, { ok: false }>['problem'];

function problem(status: number, type: string, title: string, detail: string): Problem {
  return { status, type, title, detail };
}

/** The PATCH body an action means for one client, or null when it is already so. */
function patchFor(action: Exclude<BatchAction, 'delete'>, client: Client, label: string | undefined): UpdateClientInput | null {
  switch (action) {
    case 'enable':
      return client.status === 'active' ? null : { status: 'active' };
    case 'disable':
      return client.status === 'disabled' ? null : { status: 'disabled' };
    case 'addLabel':
      return client.labels.includes(label!) ? null : { labels: [...client.labels, label!] };
    case 'removeLabel':
      return client.labels.includes(label!) ? { labels: client.labels.filter((each) => each !== label) } : null;
  }
}

export function createBatchRoutes(options: BatchRouteOptions) {
  const { clients } = options;

  async function one(action: BatchAction, clientId: string, label: string | undefined, principal: Principal): Promise<BatchResult> {
    const fail = (p: Problem): BatchResult => ({ clientId, ok: false, problem: p });
    const existing = await clients.get(clientId);
    if (!existing) return fail(problem(404, PROBLEM.notFound, 'Client not found', `There is no client with the id ${clientId}.`));
    if (existing.kind === 'default' && SKIPS_DEFAULT_CLIENTS.includes(action)) {
      return fail(
        problem(409, PROBLEM.defaultClient, 'Default client left out', `${existing.name} is a default client that core platform functions rely on: it is not ${action === 'delete' ? 'deleted' : 'disabled'} in bulk. Open it to do so with confirmation.`),
      );
    }
    const actor = options.actorOf(principal);
    if (action === 'delete') {
      const lockout = lockoutOf(existing, null, principal.clientId);
      if (lockout) return fail(problem(409, lockout.type, lockout.title, lockout.detail));
      const result = await clients.delete(clientId, existing.version, actor);
      if (!result.ok) return fail(result.reason === 'not_found' ? problem(404, PROBLEM.notFound, 'Client not found', `There is no client with the id ${clientId}.`) : problem(412, PROBLEM.versionMismatch, 'The client was changed meanwhile', 'Someone else changed this client during the batch; it was left as it is.'));
      return { clientId, ok: true, unchanged: false };
    }
    const patch = patchFor(action, existing, label);
    if (patch === null) return { clientId, ok: true, unchanged: true, client: existing };
    const validation = validateClientUpdate(existing, patch, { scopeCatalog: options.scopeCatalog });
    if (!validation.ok) return fail(problem(400, PROBLEM.validation, 'Invalid change', validation.errors.map((e) => `${e.field}: ${e.message}`).join(' ')));
    const keyErrors = unusableKeyErrors(validation.value.jwks);
    if (keyErrors.length) return fail(problem(400, PROBLEM.validation, 'Invalid change', keyErrors.map((e) => `${e.field}: ${e.message}`).join(' ')));
    const lockout = lockoutOf(existing, validation.value, principal.clientId);
    if (lockout) return fail(problem(409, lockout.type, lockout.title, lockout.detail));
    const result = await clients.update(clientId, existing.version, validation.value, actor);
    if (!result.ok) return fail(result.reason === 'not_found' ? problem(404, PROBLEM.notFound, 'Client not found', `There is no client with the id ${clientId}.`) : problem(412, PROBLEM.versionMismatch, 'The client was changed meanwhile', 'Someone else changed this client during the batch; it was left as it is.'));
    return { clientId, ok: true, unchanged: result.client.version === existing.version, client: result.client };
  }

  async function batch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const principal = await options.authenticate(req, 'clients:write');
    const parsed = BatchRequestSchema.safeParse(await options.jsonBody(req));
    if (!parsed.success) throw options.validationProblem(zodFieldErrors(parsed.error));
    const { action, clientIds, label } = parsed.data;
    const errors: FieldError[] = [];
    if (action === 'addLabel' || action === 'removeLabel') {
      if (label === undefined) errors.push({ field: 'label', message: `${action} needs a label.` });
      else {
        const labelError = labelProblem(label);
        if (labelError) errors.push({ field: 'label', message: labelError });
      }
    } else if (label !== undefined) {
      errors.push({ field: 'label', message: 'label goes with addLabel and removeLabel only.' });
    }
    const seen = new Set<string>();
    clientIds.forEach((clientId, index) => {
      if (seen.has(clientId)) errors.push({ field: `clientIds[${index}]`, message: `${clientId} is listed twice.` });
      seen.add(clientId);
    });
    if (errors.length) throw options.validationProblem(errors);
    const results: BatchResult[] = [];
    // One after another: each is its own transaction, and a store is not faster for being asked at once.
    for (const clientId of clientIds) results.push(await one(action, clientId, label, principal));
    const failed = results.filter((result) => !result.ok).length;
    const body: BatchResponse = { action, results, succeeded: results.length - failed, failed };
    sendJson(res, 200, body);
  }

  return { batch };
}

