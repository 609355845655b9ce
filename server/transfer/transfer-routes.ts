// GET /api/v1/clients/export and POST /api/v1/clients/import (issue 11). The export is a
// versioned document of settings (shared/client-transfer.ts), never a secret or hash. An import
// plans every client first (import-plan.ts); a dry run answers the plan, a real one writes the
// whole plan in one transaction (ClientStore.importClients) or nothing, and answers the new
// clients' secrets this once.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { zodFieldErrors } from '../../shared/client.ts';
import type { Client, FieldError } from '../../shared/client.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, ImportDocumentSchema, IMPORT_OUTCOMES, exportedClient } from '../../shared/client-transfer.ts';
import type { ExportDocument, ImportOutcome, ImportResult } from '../../shared/client-transfer.ts';
import type { Principal } from '../access-token.ts';
import type { ClientStore, NewClient } from '../client-store.ts';
import { PROBLEM, ProblemError, sendJson } from '../http-util.ts';
import { prepareNewClient } from '../new-client.ts';
import { firstSecretExpiry } from '../secrets/secret-policy.ts';
import { planImport } from './import-plan.ts';
import { IMPORT_BODY_LIMIT } from '../oversized-body.ts';

/** Ids per export request: they travel in the URL, which Node caps with the headers at 16 KB. */
export const EXPORT_IDS_MAX = 300;

export const ExportQuerySchema = z
  .object({
    /** Comma-separated; absent: every client. */
    clientIds: z
      .string()
      .max(EXPORT_IDS_MAX * 201, { error: 'clientIds is too long.' })
      .transform((text) => text.split(',').map((id) => id.trim()).filter((id) => id !== ''))
      .pipe(z.array(z.string()).min(1, { error: 'Name at least one client id, or leave clientIds out to export every client.' }).max(EXPORT_IDS_MAX, { error: `At most ${EXPORT_IDS_MAX} client ids per export request.` }))
      .optional(),
  })
  .strict();

export const ImportQuerySchema = z
  .object({
    // Absent means a dry run: writing is what has to be asked for.
    dryRun: z.enum(['true', 'false'], { error: 'dryRun must be true or false.' }).default('true'),
  })
  .strict();

export interface TransferRouteOptions {
  clients: ClientStore;
  scopeCatalog: readonly string[];
  now: () => Date;
  secretMaxDays: number | null;
  authenticate: (req: IncomingMessage, requiredScope: string | null) => Promise<Principal>;
  jsonBody: (req: IncomingMessage, options: { limit: number }) => Promise<unknown>;
  validationProblem: (errors: FieldError[], detail?: string) => ProblemError;
  actorOf: (principal: Principal) => string;
  queryOf: (url: URL) => Record<string, string>;
}

export function createTransferRoutes(options: TransferRouteOptions) {
  const { clients } = options;

  async function allClients(): Promise<Client[]> {
    const out: Client[] = [];
    let cursor: string | undefined;
    do {
      const page = await clients.list({ sort: 'clientId', limit: 500, cursor });
      out.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return out;
  }

  async function exportClients(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    // Reading is enough: the document holds what GET /clients shows, and less.
    await options.authenticate(req, 'clients:read');
    const parsed = ExportQuerySchema.safeParse(options.queryOf(url));
    if (!parsed.success) throw options.validationProblem(zodFieldErrors(parsed.error), 'Some query parameters are not valid.');
    let selected: Client[];
    if (parsed.data.clientIds) {
      selected = [];
      const missing: FieldError[] = [];
      for (const [index, clientId] of parsed.data.clientIds.entries()) {
        const client = await clients.get(clientId);
        if (client) selected.push(client);
        else missing.push({ field: `clientIds[${index}]`, message: `There is no client with the id ${clientId}.` });
      }
      if (missing.length) throw options.validationProblem(missing, 'Some clients do not exist; nothing was exported.');
    } else {
      selected = await allClients();
    }
    const exportedAt = options.now().toISOString();
    const document: ExportDocument = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt, clients: selected.map(exportedClient) };
    sendJson(res, 200, document, { 'Content-Disposition': `attachment; filename="thetasecure-clients-${exportedAt.slice(0, 10)}.json"` });
  }

  async function importClients(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const principal = await options.authenticate(req, 'clients:write');
    const query = ImportQuerySchema.safeParse(options.queryOf(url));
    if (!query.success) throw options.validationProblem(zodFieldErrors(query.error), 'Some query parameters are not valid.');
    const dryRun = query.data.dryRun === 'true';
    const document = ImportDocumentSchema.safeParse(await options.jsonBody(req, { limit: IMPORT_BODY_LIMIT }));
    if (!document.success) throw options.validationProblem(zodFieldErrors(document.error), 'This is not a ThetaSecure clients export; nothing was imported.');
    const planned = await planImport(document.data.clients, { scopeCatalog: options.scopeCatalog, get: (clientId) => clients.get(clientId), callerClientId: principal.clientId });
    const summary = Object.fromEntries(IMPORT_OUTCOMES.map((outcome) => [outcome, 0])) as Record<ImportOutcome, number>;
    for (const item of planned) summary[item.outcome] += 1;
    const items = planned.map(({ settings: _settings, expectedVersion: _version, ...item }) => item);
    if (dryRun) {
      const body: ImportResult = { dryRun, applied: false, summary, items };
      sendJson(res, 200, body);
      return;
    }
    if (summary.invalid > 0 || summary.conflict > 0) {
      const errors = planned.flatMap((item) => item.errors ?? (item.outcome === 'conflict' ? [{ field: `clients[${item.index}]`, message: item.reason ?? 'Conflict.' }] : []));
      throw new ProblemError(400, PROBLEM.validation, 'Import refused', `${summary.invalid} invalid and ${summary.conflict} conflicting clients; nothing was imported. Fix the file or the clients and try again (a dry run shows the plan).`, {
        errors,
        plan: { dryRun, applied: false, summary, items },
      });
    }
    const created = options.now();
    const secrets: NonNullable<ImportResult['secrets']> = [];
    const creates: NewClient[] = [];
    for (const item of planned) {
      if (item.outcome !== 'create') continue;
      const prepared = prepareNewClient(item.settings!, { clientId: item.clientId!, now: created, secretExpiresAt: firstSecretExpiry(created, options.secretMaxDays) });
      creates.push(prepared.record);
      if (prepared.clientSecret) secrets.push({ clientId: item.clientId!, name: item.settings!.name, clientSecret: prepared.clientSecret });
    }
    const updates = planned.filter((item) => item.outcome === 'update').map((item) => ({ clientId: item.clientId!, expectedVersion: item.expectedVersion!, settings: item.settings! }));
    const written = await clients.importClients({ creates, updates }, options.actorOf(principal));
    if (!written.ok) {
      throw new ProblemError(409, PROBLEM.versionMismatch, 'Clients changed during the import', `${written.clientId} was changed, created or deleted while the import ran; nothing was imported. Run it again.`, { clientId: written.clientId });
    }
    const body: ImportResult = { dryRun, applied: true, summary, items, secrets };
    sendJson(res, 200, body);
  }

  return { exportClients, importClients };
}
