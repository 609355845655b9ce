// Test helper: a real server on 127.0.0.1 (random port) with a real SQLite file in a fresh temp
// folder, known credentials, and the request log captured in memory.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../app.ts';
import type { RunningServer, StartServerOptions } from '../app.ts';

export const TEST_CREDENTIALS = {
  adminPassword: 'admin-password-for-tests',
  helpdeskPassword: 'helpdesk-password-for-tests',
  adminClientSecret: 'admin-client-secret-for-tests-0123456789',
  syncClientSecret: 'sync-client-secret-for-tests-0123456789',
} as const;

export interface TestServer extends RunningServer {
  logs: Record<string, unknown>[];
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

export async function makeDataDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'thetasecure-server-test-'));
}

export async function startTestServer(options: Partial<StartServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await makeDataDir());
  const logs: Record<string, unknown>[] = [];
  // Last use is written when the test says so (flushLastUsed) or at stop, not by a 10-second timer:
  // a client's first use is a change in the feed, and a test that watches the feed or the events
  // stream must not see one arrive at a moment it did not choose.
  const server = await startServer({ port: 0, ...TEST_CREDENTIALS, lastUsedFlushMs: 24 * 3_600_000, ...options, dataDir, log: (entry) => logs.push(entry) });
  return {
    ...server,
    logs,
    async stop() {
      await server.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function clientCredentialsToken(server: Pick<RunningServer, 'url'>, clientId: string, secret: string, scope?: string): Promise<Response> {
  const body = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scope) body.set('scope', scope);
  return fetch(`${server.url}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}` },
    body,
  });
}

/** An access token for the admin API from client_credentials; throws when the server refuses. */
export async function accessToken(server: Pick<RunningServer, 'url'>, clientId: string, secret: string, scope = 'clients:read clients:write'): Promise<string> {
  const response = await clientCredentialsToken(server, clientId, secret, scope);
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!response.ok || !body.access_token) throw new Error(`token request for ${clientId} failed: HTTP ${response.status} ${body.error ?? ''}`);
  return body.access_token;
}

export interface ApiRequest {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export async function api(server: Pick<RunningServer, 'url'>, method: string, pathname: string, request: ApiRequest = {}): Promise<Response> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  return fetch(`${server.url}/api/v1${pathname}`, { method, headers, body });
}
