// The admin API's secret routes (issue 10), wired into the route table of admin-api.ts:
//   GET    /clients/{clientId}/secrets             → { items: SecretMeta[] }       (clients:read)
//   POST   /clients/{clientId}/secrets             → 201 the new secret, shown once (clients:write)
//   DELETE /clients/{clientId}/secrets/{secretId}  → 204, retired at once          (clients:write)
// Same conventions as the client routes: ETag is the client's version (If-Match honoured when
// sent), RFC 9457 problems, one audit record and one change number per change, and a default
// client needs the Confirm-Default-Client header.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RotateSecretInputSchema, zodFieldErrors } from '../../shared/client.ts';
import type { Client, FieldError, RotateSecretResponse } from '../../shared/client.ts';
import type { Principal } from '../access-token.ts';
import type { ClientStore, SecretChangeResult } from '../client-store.ts';
import { PROBLEM, ProblemError, sendJson } from '../http-util.ts';
import { storedSecret } from '../new-client.ts';
import { addDays, expiryErrors, planRetirement, planRotation } from './secret-policy.ts';
import { generateClientSecret } from './secret-values.ts';

export interface SecretRouteDeps {
  clients: ClientStore;
  now: () => Date;
  secretMaxDays: number | null;
  authenticate(req: IncomingMessage, scope: string): Promise<Principal>;
  findClient(clientId: string): Promise<Client>;
  jsonBody(req: IncomingMessage, options: { optional: boolean }): Promise<unknown>;
  requireDefaultConfirmation(req: IncomingMessage, client: Client, verb: 'rotate its secret' | 'retire its secret'): void;
  actorOf(principal: Principal): string;
  staleVersion(client: Client): ProblemError;
  ifMatchVersions(header: string | undefined): number[] | '*' | null;
}

function validationProblem(errors: FieldError[]): ProblemError {
  return new ProblemError(400, PROBLEM.validation, 'Invalid request', 'Some fields are not valid; nothing was saved.', { errors });
}

export function createSecretRoutes(deps: SecretRouteDeps) {
  const { clients } = deps;

  /** The version a write must find (If-Match, optional here as for DELETE of a client), or null for any. */
  function expectedVersion(req: IncomingMessage, client: Client): number | null {
    const versions = deps.ifMatchVersions(req.headers['if-match']);
    if (Array.isArray(versions) && !versions.includes(client.version)) throw deps.staleVersion(client);
    return Array.isArray(versions) ? client.version : null;
  }

  function unwrap(result: SecretChangeResult, clientId: string): Client {
    if (result.ok) return result.client;
    if (result.reason === 'version_mismatch') throw deps.staleVersion(result.current);
    if (result.reason === 'refused') {
      const { status, type, title, detail, extra } = result.refusal;
      throw new ProblemError(status, type, title, detail, extra);
    }
    throw new ProblemError(404, PROBLEM.notFound, 'Client not found', `There is no client with the id ${clientId}.`);
  }

  async function list(req: IncomingMessage, res: ServerResponse, clientId: string): Promise<void> {
    await deps.authenticate(req, 'clients:read');
    const client = await deps.findClient(clientId);
    sendJson(res, 200, { items: client.secrets }, { ETag: `"${client.version}"` });
  }

  async function create(req: IncomingMessage, res: ServerResponse, clientId: string): Promise<void> {
    const principal = await deps.authenticate(req, 'clients:write');
    const existing = await deps.findClient(clientId);
    deps.requireDefaultConfirmation(req, existing, 'rotate its secret');
    const version = expectedVersion(req, existing);
    const parsed = RotateSecretInputSchema.safeParse(await deps.jsonBody(req, { optional: true }));
    if (!parsed.success) throw validationProblem(zodFieldErrors(parsed.error));
    const errors = expiryErrors(parsed.data, deps.secretMaxDays);
    if (errors.length) throw validationProblem(errors);

    const createdAt = deps.now();
    const secret = generateClientSecret();
    const stored = storedSecret(secret, createdAt.toISOString(), parsed.data.expiresInDays === undefined ? null : addDays(createdAt, parsed.data.expiresInDays));
    const client = unwrap(await clients.changeSecrets(clientId, version, (current, now) => planRotation(current, now, parsed.data, stored), deps.actorOf(principal)), clientId);
    const body: RotateSecretResponse = { secret, id: stored.id, hint: stored.hint, createdAt: stored.createdAt, expiresAt: stored.expiresAt };
    sendJson(res, 201, body, { ETag: `"${client.version}"`, Location: `/api/v1/clients/${encodeURIComponent(clientId)}/secrets/${stored.id}` });
  }

  async function retire(req: IncomingMessage, res: ServerResponse, clientId: string, secretId: string): Promise<void> {
    const principal = await deps.authenticate(req, 'clients:write');
    const existing = await deps.findClient(clientId);
    deps.requireDefaultConfirmation(req, existing, 'retire its secret');
    const version = expectedVersion(req, existing);
    const client = unwrap(await clients.changeSecrets(clientId, version, (current, now) => planRetirement(current, now, secretId), deps.actorOf(principal)), clientId);
    res.writeHead(204, { 'Cache-Control': 'no-store', ETag: `"${client.version}"` });
    res.end();
  }

  return { list, create, retire };
}
