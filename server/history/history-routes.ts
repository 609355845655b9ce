// GET /api/v1/clients/{clientId}/history and GET /api/v1/audit (issue 11): the audit records the
// store writes with every change, newest first, a keyset cursor per page, actors by name.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuditQuerySchema, HistoryQuerySchema, decodeHistoryCursor, encodeHistoryCursor } from '../../shared/history.ts';
import type { HistoryPage } from '../../shared/history.ts';
import { zodFieldErrors } from '../../shared/client.ts';
import type { FieldError } from '../../shared/client.ts';
import type { Principal } from '../access-token.ts';
import type { AuditLogQuery, ClientStore } from '../client-store.ts';
import { PROBLEM, ProblemError, sendJson } from '../http-util.ts';
import { historyEntryOf } from './history-entries.ts';
import type { ActorNames } from './history-entries.ts';

export interface HistoryRouteOptions {
  clients: ClientStore;
  /** Display names of users (the user store). */
  userName: (username: string) => string | undefined;
  authenticate: (req: IncomingMessage, requiredScope: string | null) => Promise<Principal>;
  validationProblem: (errors: FieldError[], detail?: string) => ProblemError;
  queryOf: (url: URL) => Record<string, string>;
}

export function createHistoryRoutes(options: HistoryRouteOptions) {
  const { clients } = options;

  async function page(query: AuditLogQuery, limit: number): Promise<HistoryPage> {
    // One more than asked: whether there is a next page without a second query.
    const records = await clients.auditLog({ ...query, limit: limit + 1 });
    const shown = records.slice(0, limit);
    // Names looked up once per actor per page.
    const clientNames = new Map<string, Promise<string | undefined>>();
    const names: ActorNames = {
      user: (username) => options.userName(username),
      client: (clientId) => {
        let name = clientNames.get(clientId);
        if (!name) {
          name = clients.get(clientId).then((client) => client?.name);
          clientNames.set(clientId, name);
        }
        return name;
      },
    };
    const items = await Promise.all(shown.map((record) => historyEntryOf(record, names)));
    const last = shown[shown.length - 1];
    return { items, nextCursor: records.length > limit && last ? encodeHistoryCursor(last.id) : null };
  }

  function before(cursor: string | undefined): number | undefined {
    if (cursor === undefined) return undefined;
    const id = decodeHistoryCursor(cursor);
    if (id === null) throw options.validationProblem([{ field: 'cursor', message: 'The cursor is not valid; start again without one.' }], 'The cursor is not valid.');
    return id;
  }

  async function clientHistory(req: IncomingMessage, res: ServerResponse, url: URL, clientId: string): Promise<void> {
    await options.authenticate(req, 'clients:read');
    const parsed = HistoryQuerySchema.safeParse(options.queryOf(url));
    if (!parsed.success) throw options.validationProblem(zodFieldErrors(parsed.error), 'Some query parameters are not valid.');
    const result = await page({ clientId, before: before(parsed.data.cursor) }, parsed.data.limit);
    // A deleted client still has its history; an id that never existed has none.
    if (result.items.length === 0 && parsed.data.cursor === undefined && !(await clients.get(clientId))) {
      throw new ProblemError(404, PROBLEM.notFound, 'Client not found', `There is no client with the id ${clientId}, and none had it.`);
    }
    sendJson(res, 200, result);
  }

  async function audit(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // Across all clients: admins only (clients:write is the admin role's scope).
    await options.authenticate(req, 'clients:write');
    const parsed = AuditQuerySchema.safeParse(options.queryOf(url));
    if (!parsed.success) throw options.validationProblem(zodFieldErrors(parsed.error), 'Some query parameters are not valid.');
    const { since, actor, action, cursor, limit } = parsed.data;
    sendJson(res, 200, await page({ since: since === undefined ? undefined : new Date(since).toISOString(), actor, action, before: before(cursor) }, limit));
  }

  return { clientHistory, audit };
}
