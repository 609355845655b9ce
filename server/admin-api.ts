// The admin REST API of architecture §3 under /api/v1: clients (list, get, create, update,
// delete), their secrets (secrets/secret-routes.ts), the change feed (clients/changes) and its
// events stream (events), the scope catalog and the caller, in one route table (ROUTES). Authorisation by bearer token scope (clients:read for
// reads, clients:write for changes); errors as RFC 9457 problem documents; validation through the
// shared rules (shared/client.ts), so the API and the form reject the same things.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BUILTIN_SCOPES } from '../shared/catalogs.ts';
import { ClientChangesQuerySchema, ListClientsQuerySchema, validateClientUpdate, validateCreateClient, zodFieldErrors } from '../shared/client.ts';
import type { Client, ClientSettings, FieldError } from '../shared/client.ts';
import type { AccessTokenVerifier, Principal } from './access-token.ts';
import { ChangesUnavailableError, InvalidCursorError } from './client-store.ts';
import { lockoutOf } from './default-client-guard.ts';
import type { ClientStore } from './client-store.ts';
import { BodyTooLargeError, PROBLEM, ProblemError, mediaType, readBody, sendJson, sendProblem } from './http-util.ts';
import type { EventStreams } from './events-stream.ts';
import { prepareNewClient } from './new-client.ts';
import { createSecretRoutes } from './secrets/secret-routes.ts';
import { firstSecretExpiry } from './secrets/secret-policy.ts';
import { unusableKeyErrors } from './secrets/jwks-check.ts';
import { malformedTextFields } from './well-formed-text.ts';
import { ADMIN_API_BODY_LIMIT, drainRequest } from './oversized-body.ts';
import { createBatchRoutes } from './bulk/batch-routes.ts';
import { createHistoryRoutes } from './history/history-routes.ts';
import { buildOpenApi } from './openapi/openapi.ts';
import { OPERATIONS } from './openapi/operation-docs.ts';
import type { OperationDoc } from './openapi/operation-docs.ts';
import { createTransferRoutes } from './transfer/transfer-routes.ts';

export const API_PREFIX = '/api/v1';
export const CONFIRM_DEFAULT_CLIENT_HEADER = 'confirm-default-client';
const SCOPE_CATALOG = BUILTIN_SCOPES.map((scope) => scope.name);

export interface AdminApiOptions {
  clients: ClientStore;
  verifyAccessToken: AccessTokenVerifier;
  /** GET /events: the open Server-Sent Events streams. */
  events: Pick<EventStreams, 'start'>;
  /** Called with the client a request comes from, for the request log. */
  noteClient: (req: IncomingMessage, clientId: string) => void;
  /** The clock secrets are dated and expire by (default: the system clock). */
  now?: () => Date;
  /** THETASECURE_SECRET_MAX_DAYS: the longest a secret may live, or null for no limit. */
  secretMaxDays?: number | null;
  /** Users' display names, for the history's actors (the user store). */
  userName?: (username: string) => string | undefined;
  /** The server's version, for the OpenAPI document. */
  version?: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, params: string[]) => Promise<void>;

/**
 * One row of the route table: a path pattern (its groups are URI-decoded into params), the same
 * path as an OpenAPI template, and per method a handler with what it takes and answers (its doc,
 * from the zod schemas the handler validates with; GET /openapi.json is built from them).
 */
interface Route {
  path: RegExp;
  template: string;
  methods: Partial<Record<string, { handler: Handler; doc: OperationDoc }>>;
}

function op(doc: OperationDoc, handler: Handler): { handler: Handler; doc: OperationDoc } {
  return { handler, doc };
}

function validationProblem(errors: FieldError[], detail = 'Some fields are not valid; nothing was saved.'): ProblemError {
  return new ProblemError(400, PROBLEM.validation, 'Invalid request', detail, { errors });
}

function etag(client: Client): string {
  return `"${client.version}"`;
}

/** Versions named by an If-Match header; `*` means "whatever is there". */
function ifMatchVersions(header: string | undefined): number[] | '*' | null {
  if (header === undefined || header.trim() === '') return null;
  if (header.trim() === '*') return '*';
  return header.split(',').map((part) => {
    const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(part);
    return match ? Number(match[1]) : Number.NaN;
  });
}

export function createAdminApi(options: AdminApiOptions) {
  const { clients } = options;
  const now = options.now ?? (() => new Date());
  const secretMaxDays = options.secretMaxDays ?? null;

  async function authenticate(req: IncomingMessage, requiredScope: string | null): Promise<Principal> {
    return (await authenticateToken(req, requiredScope)).principal;
  }

  /** The caller, with the token itself and its expiry (a stream lives as long as its token). */
  async function authenticateToken(req: IncomingMessage, requiredScope: string | null): Promise<{ principal: Principal; token: string; expiresAt: number }> {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(header);
    if (!match) {
      throw new ProblemError(401, PROBLEM.unauthorized, 'Authentication required', 'Send an access token from this server as "Authorization: Bearer <token>".', {}, {
        'WWW-Authenticate': 'Bearer realm="thetasecure-admin-api"',
      });
    }
    const result = await options.verifyAccessToken(match[1]!);
    if (!result.ok) {
      throw new ProblemError(401, PROBLEM.unauthorized, 'Invalid access token', result.reason, {}, {
        'WWW-Authenticate': 'Bearer realm="thetasecure-admin-api", error="invalid_token"',
      });
    }
    options.noteClient(req, result.principal.clientId);
    if (requiredScope && !result.principal.scopes.includes(requiredScope)) {
      throw new ProblemError(
        403,
        PROBLEM.forbidden,
        'Not allowed',
        requiredScope === 'clients:write'
          ? 'Your access allows reading clients only; creating, changing and deleting clients needs the clients:write scope (admin role).'
          : `This needs the ${requiredScope} scope.`,
        { requiredScope },
        { 'WWW-Authenticate': `Bearer realm="thetasecure-admin-api", error="insufficient_scope", scope="${requiredScope}"` },
      );
    }
    return { principal: result.principal, token: match[1]!, expiresAt: result.expiresAt };
  }

  function actorOf(principal: Principal): string {
    return principal.kind === 'user' ? `user:${principal.subject}` : `client:${principal.clientId}`;
  }

  async function jsonBody(req: IncomingMessage, options: { optional?: boolean; limit?: number } = {}): Promise<unknown> {
    const type = mediaType(req);
    // A POST with nothing to say (no body, no content type) may mean "the defaults".
    if (options.optional && type === '' && (req.headers['content-length'] ?? '0') === '0' && req.headers['transfer-encoding'] === undefined) return {};
    if (type !== 'application/json' && type !== 'application/merge-patch+json') {
      throw new ProblemError(415, PROBLEM.unsupportedMediaType, 'Unsupported media type', 'Send the body as JSON (Content-Type: application/json).');
    }
    let text: string;
    try {
      text = await readBody(req, options.limit ?? ADMIN_API_BODY_LIMIT);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // Read the rest first, then close: a keep-alive connection with unread bytes is broken.
        await drainRequest(req);
        throw new ProblemError(413, PROBLEM.tooLarge, 'Body too large', error.message, {}, { Connection: 'close' });
      }
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      throw validationProblem([{ field: 'body', message: 'The request body is not valid JSON.' }]);
    }
    const malformed = malformedTextFields(parsed);
    if (malformed.length) throw validationProblem(malformed);
    return parsed;
  }

  async function findClient(clientId: string): Promise<Client> {
    const client = await clients.get(clientId);
    if (!client) throw new ProblemError(404, PROBLEM.notFound, 'Client not found', `There is no client with the id ${clientId}.`);
    return client;
  }

  function requireDefaultConfirmation(req: IncomingMessage, client: Client, verb: 'change it' | 'delete it' | 'rotate its secret' | 'retire its secret'): void {
    if (client.kind !== 'default') return;
    if (req.headers[CONFIRM_DEFAULT_CLIENT_HEADER] === client.clientId) return;
    throw new ProblemError(
      409,
      PROBLEM.defaultClient,
      'Default client needs confirmation',
      `${client.name} (${client.clientId}) is a default client that core platform functions rely on. To ${verb} anyway, repeat the request with the header "Confirm-Default-Client: ${client.clientId}".`,
      { clientId: client.clientId },
    );
  }

  /** 409 for a change that would leave no way to sign an admin in, or a client that locks itself out. */
  function refuseLockout(existing: Client, next: ClientSettings | null, principal: Principal): void {
    const lockout = lockoutOf(existing, next, principal.clientId);
    if (lockout) throw new ProblemError(409, lockout.type, lockout.title, lockout.detail, { clientId: existing.clientId, breaks: lockout.breaks });
  }

  function staleVersion(client: Client): ProblemError {
    return new ProblemError(
      412,
      PROBLEM.versionMismatch,
      'The client was changed meanwhile',
      `Someone else changed this client (it is now at version ${client.version}); nothing was saved. Load it again and repeat your change.`,
      { currentVersion: client.version },
      { ETag: etag(client) },
    );
  }

  function queryOf(url: URL): Record<string, string> {
    const raw: Record<string, string> = {};
    for (const [key, value] of url.searchParams) raw[key] = value;
    return raw;
  }

  async function listClients(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    await authenticate(req, 'clients:read');
    const parsed = ListClientsQuerySchema.safeParse(queryOf(url));
    if (!parsed.success) throw validationProblem(zodFieldErrors(parsed.error), 'Some query parameters are not valid.');
    try {
      sendJson(res, 200, await clients.list(parsed.data));
    } catch (error) {
      if (error instanceof InvalidCursorError) throw validationProblem([{ field: 'cursor', message: error.message }], 'The cursor is not valid.');
      throw error;
    }
  }

  async function clientChanges(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    await authenticate(req, 'clients:read');
    const parsed = ClientChangesQuerySchema.safeParse(queryOf(url));
    if (!parsed.success) throw validationProblem(zodFieldErrors(parsed.error), 'Some query parameters are not valid.');
    try {
      sendJson(res, 200, await clients.changes(parsed.data));
    } catch (error) {
      if (error instanceof ChangesUnavailableError) {
        throw new ProblemError(410, PROBLEM.changesExpired, 'Changes no longer available', error.message, { since: parsed.data.since });
      }
      throw error;
    }
  }

  async function events(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { token, expiresAt } = await authenticateToken(req, 'clients:read');
    await options.events.start(req, res, { token, expiresAt });
  }

  async function createClient(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const principal = await authenticate(req, 'clients:write');
    const body = await jsonBody(req);
    const validation = validateCreateClient(body, { scopeCatalog: SCOPE_CATALOG });
    if (!validation.ok) throw validationProblem(validation.errors);
    const keyErrors = unusableKeyErrors(validation.value.jwks);
    if (keyErrors.length) throw validationProblem(keyErrors);
    const created = now();
    // With a cap on secret lifetimes, the first secret lives as long as the cap allows.
    const prepared = prepareNewClient(validation.value, { now: created, secretExpiresAt: firstSecretExpiry(created, secretMaxDays) });
    const client = await clients.create(prepared.record, actorOf(principal));
    const body201 = prepared.clientSecret ? { client, clientSecret: prepared.clientSecret } : { client };
    sendJson(res, 201, body201, { Location: `${API_PREFIX}/clients/${encodeURIComponent(client.clientId)}`, ETag: etag(client) });
  }

  async function getClient(req: IncomingMessage, res: ServerResponse, clientId: string): Promise<void> {
    await authenticate(req, 'clients:read');
    const client = await findClient(clientId);
    sendJson(res, 200, client, { ETag: etag(client) });
  }

  async function updateClient(req: IncomingMessage, res: ServerResponse, clientId: string): Promise<void> {
    const principal = await authenticate(req, 'clients:write');
    const existing = await findClient(clientId);
    const versions = ifMatchVersions(req.headers['if-match']);
    if (versions === null) {
      throw new ProblemError(428, PROBLEM.preconditionRequired, 'If-Match required', `Send the version you are changing as "If-Match: ${etag(existing)}" (the ETag of GET ${API_PREFIX}/clients/${clientId}).`);
    }
    requireDefaultConfirmation(req, existing, 'change it');
    if (versions !== '*' && !versions.includes(existing.version)) throw staleVersion(existing);
    const body = await jsonBody(req);
    const validation = validateClientUpdate(existing, body, { scopeCatalog: SCOPE_CATALOG });
    if (!validation.ok) throw validationProblem(validation.errors);
    const keyErrors = unusableKeyErrors(validation.value.jwks);
    if (keyErrors.length) throw validationProblem(keyErrors);
    refuseLockout(existing, validation.value, principal);
    const result = await clients.update(clientId, existing.version, validation.value, actorOf(principal));
    if (!result.ok) {
      if (result.reason === 'version_mismatch') throw staleVersion(result.current);
      throw new ProblemError(404, PROBLEM.notFound, 'Client not found', `There is no client with the id ${clientId}.`);
    }
    sendJson(res, 200, result.client, { ETag: etag(result.client) });
  }

  async function deleteClient(req: IncomingMessage, res: ServerResponse, clientId: string): Promise<void> {
    const principal = await authenticate(req, 'clients:write');
    const existing = await findClient(clientId);
    // Before the confirmation: no header makes these deletes possible.
    refuseLockout(existing, null, principal);
    requireDefaultConfirmation(req, existing, 'delete it');
    const versions = ifMatchVersions(req.headers['if-match']);
    if (Array.isArray(versions) && !versions.includes(existing.version)) throw staleVersion(existing);
    const result = await clients.delete(clientId, existing.version, actorOf(principal));
    if (!result.ok) {
      if (result.reason === 'version_mismatch') throw staleVersion(result.current);
      throw new ProblemError(404, PROBLEM.notFound, 'Client not found', `There is no client with the id ${clientId}.`);
    }
    res.writeHead(204, { 'Cache-Control': 'no-store' });
    res.end();
  }

  async function scopes(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await authenticate(req, 'clients:read');
    sendJson(res, 200, { items: BUILTIN_SCOPES.map(({ name, description }) => ({ name, description })) });
  }

  async function me(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const principal = await authenticate(req, null);
    sendJson(res, 200, { subject: principal.subject, name: principal.name, roles: principal.roles, scopes: principal.scopes });
  }

  function methodNotAllowed(allow: string[]): ProblemError {
    return new ProblemError(405, PROBLEM.methodNotAllowed, 'Method not allowed', `This resource answers ${allow.join(', ')}.`, {}, { Allow: allow.join(', ') });
  }

  const secretRoutes = createSecretRoutes({ clients, now, secretMaxDays, authenticate, findClient, jsonBody, requireDefaultConfirmation, actorOf, staleVersion, ifMatchVersions });

  const historyRoutes = createHistoryRoutes({ clients, userName: options.userName ?? (() => undefined), authenticate, validationProblem, queryOf });
  const batchRoutes = createBatchRoutes({ clients, scopeCatalog: SCOPE_CATALOG, authenticate, jsonBody: (req) => jsonBody(req), validationProblem, actorOf });
  const transferRoutes = createTransferRoutes({ clients, scopeCatalog: SCOPE_CATALOG, now, secretMaxDays, authenticate, jsonBody, validationProblem, actorOf, queryOf });

  /** The admin API's routes: the one place a path and method meet their handler and its description. */
  const ROUTES: Route[] = [
    { path: /^\/clients$/, template: '/clients', methods: { GET: op(OPERATIONS.listClients, (req, res, url) => listClients(req, res, url)), POST: op(OPERATIONS.createClient, (req, res) => createClient(req, res)) } },
    // Before /clients/:id: "changes", "export", "import" and "batch" are not client ids (no generated or default id is one).
    { path: /^\/clients\/changes$/, template: '/clients/changes', methods: { GET: op(OPERATIONS.clientChanges, (req, res, url) => clientChanges(req, res, url)) } },
    { path: /^\/clients\/export$/, template: '/clients/export', methods: { GET: op(OPERATIONS.exportClients, (req, res, url) => transferRoutes.exportClients(req, res, url)) } },
    { path: /^\/clients\/import$/, template: '/clients/import', methods: { POST: op(OPERATIONS.importClients, (req, res, url) => transferRoutes.importClients(req, res, url)) } },
    { path: /^\/clients\/batch$/, template: '/clients/batch', methods: { POST: op(OPERATIONS.batch, (req, res) => batchRoutes.batch(req, res)) } },
    { path: /^\/events$/, template: '/events', methods: { GET: op(OPERATIONS.events, (req, res) => events(req, res)) } },
    {
      path: /^\/clients\/([^/]+)$/,
      template: '/clients/{clientId}',
      methods: {
        GET: op(OPERATIONS.getClient, (req, res, _url, [id]) => getClient(req, res, id!)),
        PATCH: op(OPERATIONS.updateClient, (req, res, _url, [id]) => updateClient(req, res, id!)),
        DELETE: op(OPERATIONS.deleteClient, (req, res, _url, [id]) => deleteClient(req, res, id!)),
      },
    },
    { path: /^\/clients\/([^/]+)\/history$/, template: '/clients/{clientId}/history', methods: { GET: op(OPERATIONS.clientHistory, (req, res, url, [id]) => historyRoutes.clientHistory(req, res, url, id!)) } },
    {
      path: /^\/clients\/([^/]+)\/secrets$/,
      template: '/clients/{clientId}/secrets',
      methods: { GET: op(OPERATIONS.listSecrets, (req, res, _url, [id]) => secretRoutes.list(req, res, id!)), POST: op(OPERATIONS.rotateSecret, (req, res, _url, [id]) => secretRoutes.create(req, res, id!)) } },
    { path: /^\/clients\/([^/]+)\/secrets\/([^/]+)$/, template: '/clients/{clientId}/secrets/{secretId}', methods: { DELETE: op(OPERATIONS.retireSecret, (req, res, _url, [id, secretId]) => secretRoutes.retire(req, res, id!, secretId!)) } },
    { path: /^\/audit$/, template: '/audit', methods: { GET: op(OPERATIONS.audit, (req, res, url) => historyRoutes.audit(req, res, url)) } },
    { path: /^\/scopes$/, template: '/scopes', methods: { GET: op(OPERATIONS.scopes, (req, res) => scopes(req, res)) } },
    { path: /^\/me$/, template: '/me', methods: { GET: op(OPERATIONS.me, (req, res) => me(req, res)) } },
    { path: /^\/openapi\.json$/, template: '/openapi.json', methods: { GET: op(OPERATIONS.openapi, (req, res, url) => openapi(req, res, url)) } },
  ];

  let openapiDocument: unknown = null;
  /** Public, like a discovery document: it describes the API, it holds no data. Built once. */
  async function openapi(_req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    openapiDocument ??= buildOpenApi(ROUTES, { serverUrl: `${url.origin}${API_PREFIX}`, version: options.version ?? '1' });
    sendJson(res, 200, openapiDocument, { 'Cache-Control': 'no-cache' });
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.slice(API_PREFIX.length).replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    for (const entry of ROUTES) {
      const match = entry.path.exec(path);
      if (!match) continue;
      let params: string[];
      try {
        params = match.slice(1).map((part) => decodeURIComponent(part));
      } catch {
        throw new ProblemError(404, PROBLEM.notFound, 'Not found', 'There is no such client.');
      }
      const operation = entry.methods[method];
      if (!operation) throw methodNotAllowed(Object.keys(entry.methods));
      return operation.handler(req, res, url, params);
    }
    throw new ProblemError(404, PROBLEM.notFound, 'Not found', `There is no ${url.pathname} in the admin API.`);
  }

  return async function handleAdminApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      await route(req, res, url);
    } catch (error) {
      if (res.headersSent) throw error;
      if (error instanceof ProblemError) {
        sendProblem(res, { type: error.type, title: error.title, status: error.status, detail: error.detail, ...error.extra }, error.headers);
        return;
      }
      throw error;
    }
  };
}
