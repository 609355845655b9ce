// What each operation of the admin API takes and answers, for GET /api/v1/openapi.json: the same
// zod schemas the handlers validate with (shared/), so the description cannot drift from the
// checks. admin-api.ts ROUTES pairs each handler with one of these.
import { z } from 'zod';
import {
  ClientChangesQuerySchema,
  ClientChangesSchema,
  ClientPageSchema,
  ClientSchema,
  CreateClientResponseSchema,
  CreateCustomClientInputSchema,
  CreateSyncConnectorInputSchema,
  ListClientsQuerySchema,
  MeSchema,
  RotateSecretInputSchema,
  RotateSecretResponseSchema,
  ScopeCatalogSchema,
  SecretListSchema,
  UpdateClientInputSchema,
} from '../../shared/client.ts';
import { BatchRequestSchema, BatchResponseSchema } from '../../shared/client-batch.ts';
import { ExportDocumentSchema, ImportDocumentSchema, ImportResultSchema } from '../../shared/client-transfer.ts';
import { AuditQuerySchema, HistoryPageSchema, HistoryQuerySchema } from '../../shared/history.ts';
import { ExportQuerySchema, ImportQuerySchema } from '../transfer/transfer-routes.ts';

export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Answered as text/event-stream instead of JSON. */
  eventStream?: boolean;
}

export interface OperationDoc {
  operationId: string;
  summary: string;
  description?: string;
  /** The token scope the caller needs; null: any valid token. */
  scope: 'clients:read' | 'clients:write' | null;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; required: boolean; description?: string };
  /** Request headers that matter (If-Match, Confirm-Default-Client, Last-Event-ID). */
  headers?: { name: string; required: boolean; description: string }[];
  responses: Record<string, ResponseDoc>;
  /** Problem statuses besides 400/401/403 (added to every operation that checks input or a token). */
  problems?: Record<string, string>;
}

const IF_MATCH = { name: 'If-Match', required: true, description: 'The version being changed, as the ETag of GET /clients/{clientId} ("3"); * for any.' };
const IF_MATCH_OPTIONAL = { ...IF_MATCH, required: false };
const CONFIRM_DEFAULT = { name: 'Confirm-Default-Client', required: false, description: 'The client id again: required to change, delete or rotate a default client (409 without).' };

export const OPERATIONS = {
  listClients: {
    operationId: 'listClients',
    summary: 'List clients',
    description: 'Filters, sort (default name), keyset cursor; q is a case-insensitive substring of the name or client id.',
    scope: 'clients:read',
    query: ListClientsQuerySchema,
    responses: { 200: { description: 'One page of clients and the total of the filtered set.', schema: ClientPageSchema } },
  },
  createClient: {
    operationId: 'createClient',
    summary: 'Create a client',
    description: 'A custom client, or a Sync Connector with kind "sync_connector". The secret of a confidential client is in the answer this once.',
    scope: 'clients:write',
    body: { schema: z.union([CreateCustomClientInputSchema, CreateSyncConnectorInputSchema]), required: true },
    responses: { 201: { description: 'Created; Location and ETag headers.', schema: CreateClientResponseSchema } },
  },
  clientChanges: {
    operationId: 'clientChanges',
    summary: 'The change feed',
    description: 'Clients changed and ids deleted after since, in changeSeq order.',
    scope: 'clients:read',
    query: ClientChangesQuerySchema,
    responses: { 200: { description: 'One page of changes.', schema: ClientChangesSchema } },
    problems: { 410: 'The feed cannot answer from since (deletions purged, or since unknown): start again from 0.' },
  },
  events: {
    operationId: 'events',
    summary: 'Change notices (Server-Sent Events)',
    scope: 'clients:read',
    headers: [{ name: 'Last-Event-ID', required: false, description: 'The last seq seen: the first event is sent only when the server stands elsewhere.' }],
    responses: { 200: { description: '`event: clients` with `{"seq": n}` after committed changes; a heartbeat comment every 15 s.', eventStream: true } },
  },
  exportClients: {
    operationId: 'exportClients',
    summary: 'Export clients',
    description: 'A versioned document of the clients\' settings: never a secret or a hash. Without clientIds, every client.',
    scope: 'clients:read',
    query: ExportQuerySchema,
    responses: { 200: { description: 'The export document (Content-Disposition: attachment).', schema: ExportDocumentSchema } },
  },
  importClients: {
    operationId: 'importClients',
    summary: 'Import clients (plan, or apply)',
    description: 'Plans each client: create, update, unchanged, conflict, invalid. dryRun=false writes the whole plan in one transaction, or nothing (400 when any entry is invalid or a conflict). New confidential clients get new secrets, answered this once.',
    scope: 'clients:write',
    query: ImportQuerySchema,
    body: { schema: ImportDocumentSchema, required: true, description: 'An export document (up to 8 MiB, 5,000 clients).' },
    responses: { 200: { description: 'The plan, applied or not.', schema: ImportResultSchema } },
    problems: { 409: 'A client changed while the import ran; nothing was written.', 413: 'The body is larger than 8 MiB.' },
  },
  batch: {
    operationId: 'batchClients',
    summary: 'One action on many clients',
    description: 'enable, disable, addLabel, removeLabel or delete on up to 1,000 clients; each is its own write and audit record. Default clients are left out of disable and delete.',
    scope: 'clients:write',
    body: { schema: BatchRequestSchema, required: true },
    responses: { 200: { description: 'A result per client: ok, or the problem for that client.', schema: BatchResponseSchema } },
  },
  getClient: {
    operationId: 'getClient',
    summary: 'One client',
    scope: 'clients:read',
    responses: { 200: { description: 'The client; ETag: its version.', schema: ClientSchema } },
    problems: { 404: 'No such client.' },
  },
  updateClient: {
    operationId: 'updateClient',
    summary: 'Change a client',
    scope: 'clients:write',
    headers: [IF_MATCH, CONFIRM_DEFAULT],
    body: { schema: UpdateClientInputSchema, required: true, description: 'The fields to change (application/json or application/merge-patch+json).' },
    responses: { 200: { description: 'The client as stored now; ETag: its new version.', schema: ClientSchema } },
    problems: { 404: 'No such client.', 409: 'A default client without confirmation, or a change that would lock every admin out.', 412: 'The client is at another version.', 428: 'If-Match is missing.' },
  },
  deleteClient: {
    operationId: 'deleteClient',
    summary: 'Delete a client',
    scope: 'clients:write',
    headers: [IF_MATCH_OPTIONAL, CONFIRM_DEFAULT],
    responses: { 204: { description: 'Deleted.' } },
    problems: { 404: 'No such client.', 409: 'A default client without confirmation, or the client signing admins in.', 412: 'The client is at another version.' },
  },
  clientHistory: {
    operationId: 'clientHistory',
    summary: 'Who changed what on one client',
    description: 'Newest first: who (by name), when, and each changed field before and after. Secrets only by id and hint.',
    scope: 'clients:read',
    query: HistoryQuerySchema,
    responses: { 200: { description: 'One page of history entries.', schema: HistoryPageSchema } },
    problems: { 404: 'No client has or had this id.' },
  },
  listSecrets: {
    operationId: 'listSecrets',
    summary: 'A client\'s secrets (metadata only)',
    scope: 'clients:read',
    responses: { 200: { description: 'The secrets: id, hint, dates, status.', schema: SecretListSchema } },
    problems: { 404: 'No such client.' },
  },
  rotateSecret: {
    operationId: 'rotateSecret',
    summary: 'Add a secret (rotate)',
    scope: 'clients:write',
    headers: [IF_MATCH_OPTIONAL, CONFIRM_DEFAULT],
    body: { schema: RotateSecretInputSchema, required: false, description: 'An empty body means {}.' },
    responses: { 201: { description: 'The new secret in clear, this once.', schema: RotateSecretResponseSchema } },
    problems: { 404: 'No such client.', 409: 'Three working secrets already, a client without secrets, or a default client without confirmation.', 412: 'The client is at another version.' },
  },
  retireSecret: {
    operationId: 'retireSecret',
    summary: 'Retire a secret',
    scope: 'clients:write',
    headers: [IF_MATCH_OPTIONAL, CONFIRM_DEFAULT],
    responses: { 204: { description: 'Retired (or already not working).' } },
    problems: { 404: 'No such client or secret.', 409: 'It is the last working secret, or a default client without confirmation.', 412: 'The client is at another version.' },
  },
  audit: {
    operationId: 'auditLog',
    summary: 'The audit log across clients (admins)',
    scope: 'clients:write',
    query: AuditQuerySchema,
    responses: { 200: { description: 'One page of entries, newest first.', schema: HistoryPageSchema } },
  },
  scopes: {
    operationId: 'listScopes',
    summary: 'The scope catalog',
    scope: 'clients:read',
    responses: { 200: { description: 'Scopes a client may hold.', schema: ScopeCatalogSchema } },
  },
  me: {
    operationId: 'me',
    summary: 'The caller',
    scope: null,
    responses: { 200: { description: 'The signed-in user or client: name, roles, token scopes.', schema: MeSchema } },
  },
  openapi: {
    operationId: 'openapi',
    summary: 'This description (OpenAPI 3.1)',
    scope: null,
    responses: { 200: { description: 'The OpenAPI document.' } },
  },
} satisfies Record<string, OperationDoc>;
