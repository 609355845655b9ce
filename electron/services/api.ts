// The admin API client (`<issuer>/api/v1`). Every answer becomes a contract Result: RFC 9457
// problem documents map to the contract's error codes (with field errors), a server that cannot
// be reached becomes `offline`, one that does not answer in time `timeout`. The bearer token
// comes from the session, which gets exactly one chance to refresh it after a 401.
import type { z } from 'zod';
import type { Client, ClientChanges, CreateClientResponse, Me, RotateSecretInput, RotateSecretResponse, SecretMeta, UpdateClientInput } from '../../shared/client.ts';
import { ClientChangesSchema, ClientSchema, CreateClientResponseSchema, MeSchema, RotateSecretResponseSchema, ScopeCatalogSchema, SecretListSchema } from '../../shared/client.ts';
import type { ErrorCode, Result } from '../../shared/contract.ts';
import { fail, ok } from '../../shared/contract.ts';
import { classifyFailure } from './http-errors.ts';
import { BatchResponseSchema } from '../../shared/client-batch.ts';
import type { BatchAction, BatchResponse } from '../../shared/client-batch.ts';
import { ImportResultSchema } from '../../shared/client-transfer.ts';
import type { ImportResult } from '../../shared/client-transfer.ts';
import { HistoryPageSchema } from '../../shared/history.ts';
import type { HistoryPage } from '../../shared/history.ts';

export const DEFAULT_API_TIMEOUT_MS = 15_000;

export interface ApiAuth {
  /** The current access token, refreshed when it is about to expire; or why there is none. */
  accessToken(): Promise<Result<string>>;
  /** Called once after a 401: true when a new access token is ready for one retry. */
  refreshAfterUnauthorized(): Promise<boolean>;
}

export interface ApiClientOptions {
  issuer: () => string;
  auth: ApiAuth;
  timeoutMs?: number;
  /** Told after each call whether the server could be reached, for connectivity. */
  onReachability?: (reachable: boolean) => void;
}

interface Problem {
  type?: string;
  title?: string;
  detail?: string;
  status?: number;
  errors?: Array<{ field: string; message: string }>;
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Use this token instead of asking the session (sign-in asks /me before it is signed in). */
  token?: string;
  /** Leave a 2xx body unread, as a stream that this signal ends (no timeout once it answered). */
  stream?: AbortSignal;
  /** A 409 here is a refusal (e.g. retiring the last secret), not the default-client confirmation. */
  conflictIsRefusal?: boolean;
}

/** The problem type the server sends when a default client is touched without Confirm-Default-Client. */
export const DEFAULT_CLIENT_PROBLEM = 'urn:thetasecure:problem:default-client-confirmation-required';

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  stream?: ReadableStream<Uint8Array> | null;
}

export interface ApiClient {
  /** One page of the change feed; `gone` when `since` is older than the server's history. */
  changes(since: number, limit: number): Promise<Result<ClientChanges>>;
  /** Opens the server's event stream; the body is read by the caller until `signal` aborts it. */
  openEvents(lastEventId: string | null, signal: AbortSignal): Promise<Result<ReadableStream<Uint8Array>>>;
  getClient(clientId: string): Promise<Result<Client>>;
  createClient(input: unknown): Promise<Result<CreateClientResponse>>;
  updateClient(clientId: string, version: number, changes: UpdateClientInput, confirmDefaultClient?: string): Promise<Result<Client>>;
  deleteClient(clientId: string, confirmDefaultClient?: string): Promise<Result<void>>;
  listScopes(): Promise<Result<z.infer<typeof ScopeCatalogSchema>>>;
  listSecrets(clientId: string): Promise<Result<SecretMeta[]>>;
  /** POST …/secrets: a new secret, in clear in the answer (the caller holds it in the vault at once). */
  rotateSecret(clientId: string, input: RotateSecretInput, confirmDefaultClient?: string): Promise<Result<RotateSecretResponse>>;
  retireSecret(clientId: string, secretId: string, confirmDefaultClient?: string): Promise<Result<void>>;
  me(token?: string): Promise<Result<Me>>;
  /** Issue 11: GET …/history, POST /clients/batch (≤ 1,000 ids), GET /clients/export (≤ 300 ids; the document's text), POST /clients/import. */
  history(clientId: string, cursor?: string): Promise<Result<HistoryPage>>;
  batch(action: BatchAction, clientIds: string[], label?: string): Promise<Result<BatchResponse>>;
  exportClients(clientIds: string[]): Promise<Result<{ clients: unknown[]; exportedAt: string }>>;
  /** `body` is the file's JSON as parsed; a refused import (400) comes back as `validation` with the plan's field errors. */
  importClients(body: unknown, dryRun: boolean): Promise<Result<ImportResult>>;
  /** GET /healthz without a token: true when the server answers at all. */
  health(): Promise<boolean>;
}

export function apiBase(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/api/v1`;
}

function statusError(status: number, problem: Problem | null, method: string, conflictIsRefusal = false): { code: ErrorCode; message: string; fields?: Array<{ field: string; message: string }> } {
  const said = problem?.detail || problem?.title;
  switch (status) {
    case 400:
    case 422: {
      const fields = Array.isArray(problem?.errors) ? problem.errors.filter((e) => typeof e?.field === 'string' && typeof e?.message === 'string') : [];
      return { code: 'validation', message: said || 'The server rejected the input.', ...(fields.length ? { fields } : {}) };
    }
    case 401:
      return { code: 'unauthenticated', message: 'Your session has ended. Sign in again.' };
    case 403:
      return { code: 'forbidden', message: said || 'Your role does not allow this action.' };
    case 404:
      return { code: 'not_found', message: said || 'This client no longer exists.' };
    case 409:
      // The server protects default clients: a change or delete needs Confirm-Default-Client.
      if (problem?.type === DEFAULT_CLIENT_PROBLEM) return { code: 'confirmation_required', message: said || 'This is a default client: confirm the change explicitly.' };
      if (!conflictIsRefusal && (method === 'PATCH' || method === 'DELETE')) return { code: 'confirmation_required', message: said || 'This is a default client: confirm the change explicitly.' };
      return { code: 'conflict', message: said || 'The server reported a conflict.' };
    case 410:
      return { code: 'gone', message: said || 'The server no longer has what was asked for.' };
    case 412:
      return { code: 'conflict', message: 'Someone else changed this client since you loaded it. Reload it to see the current version.' };
    case 429:
      return { code: 'rate_limited', message: said || 'Too many requests. Wait a moment and try again.' };
    default:
      return { code: 'server', message: said ? `The server answered ${status}: ${said}` : `The server answered with an error (${status}).` };
  }
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS;
  const report = (reachable: boolean) => options.onReachability?.(reachable);

  async function send(method: string, url: string, token: string | null, request: RequestOptions): Promise<Result<Answer>> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...request.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    // A stream gets the timeout for its answer only; after that it lives until its signal aborts.
    const answered = new AbortController();
    const timer = request.stream ? setTimeout(() => answered.abort(new DOMException('timed out', 'TimeoutError')), timeoutMs) : null;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: request.stream ? AbortSignal.any([request.stream, answered.signal]) : AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      if (timer) clearTimeout(timer);
      if (request.stream?.aborted) return fail('cancelled', 'The event stream was closed.');
      const kind = classifyFailure(error);
      if (kind === 'timeout') {
        report(false);
        return fail('timeout', `The ThetaSecure server did not answer within ${Math.round(timeoutMs / 1000)} seconds.`);
      }
      report(false);
      return fail('offline', `The ThetaSecure server at ${new URL(url).origin} cannot be reached.`);
    }
    if (timer) clearTimeout(timer);
    report(true);
    if (request.stream && response.ok) return ok({ status: response.status, headers: response.headers, body: null, stream: response.body });
    let body: unknown = null;
    const text = await response.text().catch(() => '');
    if (text && /json/i.test(response.headers.get('content-type') ?? '')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    return ok({ status: response.status, headers: response.headers, body });
  }

  async function call(method: string, path: string, request: RequestOptions = {}): Promise<Result<Answer>> {
    const issuer = options.issuer();
    if (!issuer) return fail('unauthenticated', 'No ThetaSecure server is configured. Set the issuer URL in Settings.');
    const url = `${apiBase(issuer)}${path}`;
    let token = request.token;
    if (!token) {
      const current = await options.auth.accessToken();
      if (!current.ok) return current;
      token = current.value;
    }
    let answer = await send(method, url, token, request);
    if (answer.ok && answer.value.status === 401 && !request.token) {
      if (await options.auth.refreshAfterUnauthorized()) {
        const fresh = await options.auth.accessToken();
        if (fresh.ok) answer = await send(method, url, fresh.value, request);
      }
    }
    if (!answer.ok) return answer;
    const { status, body } = answer.value;
    if (status >= 200 && status < 300) return answer;
    const error = statusError(status, body && typeof body === 'object' ? (body as Problem) : null, method, request.conflictIsRefusal);
    return fail(error.code, error.message, error.fields);
  }

  function parsed<T>(answer: Result<Answer>, schema: z.ZodType<T>, what: string): Result<T> {
    if (!answer.ok) return answer;
    const result = schema.safeParse(answer.value.body);
    if (!result.success) return fail('server', `The server sent ${what} this app does not understand.`);
    return ok(result.data);
  }

  const path = (clientId: string) => `/clients/${encodeURIComponent(clientId)}`;

  return {
    async changes(since, limit) {
      const query = new URLSearchParams({ since: String(since), limit: String(limit) });
      // A 410 (the server no longer keeps changes that old) arrives as `gone`: the caller takes a new snapshot.
      return parsed(await call('GET', `/clients/changes?${query}`), ClientChangesSchema, 'a change-feed page');
    },

    async openEvents(lastEventId, signal) {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (lastEventId) headers['last-event-id'] = lastEventId;
      const answer = await call('GET', '/events', { headers, stream: signal });
      if (!answer.ok) return answer;
      const body = answer.value.stream;
      if (!body || !/^text\/event-stream/i.test(answer.value.headers.get('content-type') ?? '')) return fail('server', 'The server did not open an event stream.');
      return ok(body);
    },

    async getClient(clientId) {
      return parsed(await call('GET', path(clientId)), ClientSchema, 'a client');
    },

    async createClient(input) {
      return parsed(await call('POST', '/clients', { body: input }), CreateClientResponseSchema, 'a created client');
    },

    async updateClient(clientId, version, changes, confirmDefaultClient) {
      const headers: Record<string, string> = { 'if-match': `"${version}"` };
      if (confirmDefaultClient) headers['confirm-default-client'] = confirmDefaultClient;
      const answer = await call('PATCH', path(clientId), { body: changes, headers });
      if (!answer.ok) return answer;
      // The server answers with the client, or with {client}; accept both.
      const body = answer.value.body as { client?: unknown } | null;
      const client = ClientSchema.safeParse(body && typeof body === 'object' && 'client' in body ? body.client : body);
      return client.success ? ok(client.data) : fail('server', 'The server sent an updated client this app does not understand.');
    },

    async deleteClient(clientId, confirmDefaultClient) {
      const headers: Record<string, string> = {};
      if (confirmDefaultClient) headers['confirm-default-client'] = confirmDefaultClient;
      const answer = await call('DELETE', path(clientId), { headers });
      return answer.ok ? ok(undefined) : answer;
    },

    async listScopes() {
      return parsed(await call('GET', '/scopes'), ScopeCatalogSchema, 'a scope catalog');
    },

    async listSecrets(clientId) {
      const list = parsed(await call('GET', `${path(clientId)}/secrets`), SecretListSchema, 'a list of secrets');
      return list.ok ? ok(list.value.items) : list;
    },

    async rotateSecret(clientId, input, confirmDefaultClient) {
      const headers: Record<string, string> = {};
      if (confirmDefaultClient) headers['confirm-default-client'] = confirmDefaultClient;
      return parsed(await call('POST', `${path(clientId)}/secrets`, { body: input, headers, conflictIsRefusal: true }), RotateSecretResponseSchema, 'a new secret');
    },

    async retireSecret(clientId, secretId, confirmDefaultClient) {
      const headers: Record<string, string> = {};
      if (confirmDefaultClient) headers['confirm-default-client'] = confirmDefaultClient;
      const answer = await call('DELETE', `${path(clientId)}/secrets/${encodeURIComponent(secretId)}`, { headers, conflictIsRefusal: true });
      return answer.ok ? ok(undefined) : answer;
    },

    async me(token) {
      return parsed(await call('GET', '/me', token ? { token } : {}), MeSchema, 'a user profile');
    },

    async history(clientId, cursor) {
      const query = cursor ? `?${new URLSearchParams({ cursor })}` : '';
      return parsed(await call('GET', `${path(clientId)}/history${query}`), HistoryPageSchema, 'a client history');
    },

    async batch(action, clientIds, label) {
      return parsed(await call('POST', '/clients/batch', { body: { action, clientIds, ...(label !== undefined ? { label } : {}) }, conflictIsRefusal: true }), BatchResponseSchema, 'batch results');
    },

    async exportClients(clientIds) {
      const answer = await call('GET', `/clients/export?${new URLSearchParams({ clientIds: clientIds.join(',') })}`);
      if (!answer.ok) return answer;
      const body = answer.value.body as { format?: unknown; clients?: unknown; exportedAt?: unknown } | null;
      if (!body || body.format !== 'thetasecure-clients' || !Array.isArray(body.clients)) return fail('server', 'The server sent an export this app does not understand.');
      return ok({ clients: body.clients, exportedAt: String(body.exportedAt ?? '') });
    },

    async importClients(body, dryRun) {
      return parsed(await call('POST', `/clients/import?dryRun=${dryRun}`, { body, conflictIsRefusal: true }), ImportResultSchema, 'an import plan');
    },

    async health() {
      const issuer = options.issuer();
      if (!issuer) return false;
      try {
        const response = await fetch(`${issuer.replace(/\/+$/, '')}/healthz`, { signal: AbortSignal.timeout(Math.min(timeoutMs, 5_000)), redirect: 'error' });
        await response.arrayBuffer().catch(() => undefined);
        return response.status < 500;
      } catch {
        return false;
      }
    },
  };
}
