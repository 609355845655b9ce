// Small HTTP helpers for the server's own routes (the provider brings its own): bodies with a
// size limit, JSON and RFC 9457 problem responses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FieldError } from '../shared/client.ts';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
    this.name = 'BodyTooLargeError';
  }
}

export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // destroyOnReturn: false, so that a body over the limit can still be drained and answered (oversized-body.ts).
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The media type of a request, lower case, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** RFC 9457 problem types of the admin API. */
export const PROBLEM = {
  validation: 'urn:thetasecure:problem:validation',
  unauthorized: 'urn:thetasecure:problem:unauthorized',
  forbidden: 'urn:thetasecure:problem:insufficient-scope',
  notFound: 'urn:thetasecure:problem:not-found',
  methodNotAllowed: 'urn:thetasecure:problem:method-not-allowed',
  versionMismatch: 'urn:thetasecure:problem:version-mismatch',
  preconditionRequired: 'urn:thetasecure:problem:if-match-required',
  defaultClient: 'urn:thetasecure:problem:default-client-confirmation-required',
  unsupportedMediaType: 'urn:thetasecure:problem:unsupported-media-type',
  tooLarge: 'urn:thetasecure:problem:body-too-large',
  changesExpired: 'urn:thetasecure:problem:changes-expired',
  secretLimit: 'urn:thetasecure:problem:secret-limit',
  lastActiveSecret: 'urn:thetasecure:problem:last-active-secret',
  noSecrets: 'urn:thetasecure:problem:client-has-no-secrets',
  internal: 'urn:thetasecure:problem:internal',
} as const;

/** Thrown by a route handler: answered as an RFC 9457 problem document. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function sendProblem(res: ServerResponse, problem: Problem, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(problem);
  res.writeHead(problem.status, {
    'Content-Type': 'application/problem+json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
