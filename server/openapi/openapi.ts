// GET /api/v1/openapi.json (issue 11): OpenAPI 3.1 built from the route table (admin-api.ts
// ROUTES: path templates, methods, the operation docs beside their handlers) and the shared zod
// schemas, through zod's own JSON Schema output (draft 2020-12, which OpenAPI 3.1 uses).
import { z } from 'zod';
import type { OperationDoc } from './operation-docs.ts';

export interface DocumentedRoute {
  /** The path under /api/v1 as an OpenAPI template: `/clients/{clientId}`. */
  template: string;
  methods: Partial<Record<string, { doc: OperationDoc }>>;
}

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  // Each schema sits inside the document, which names its own dialect once.
  delete out.$schema;
  return out;
}

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } }, required: ['field', 'message'] } },
  },
  required: ['type', 'title', 'status'],
};

function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
}

function operationOf(doc: OperationDoc, pathParams: string[]): JsonSchema {
  const parameters: JsonSchema[] = pathParams.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (doc.query) {
    for (const [name, schema] of Object.entries(doc.query.shape)) {
      const field = schema as z.ZodType;
      parameters.push({ name, in: 'query', required: !field.safeParse(undefined).success, schema: jsonSchema(field, 'input') });
    }
  }
  for (const header of doc.headers ?? []) parameters.push({ name: header.name, in: 'header', required: header.required, description: header.description, schema: { type: 'string' } });
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    responses[status] = response.eventStream
      ? { description: response.description, content: { 'text/event-stream': { schema: { type: 'string' } } } }
      : response.schema
        ? { description: response.description, content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } }
        : { description: response.description };
  }
  if (doc.query || doc.body) responses['400'] = problemResponse('Invalid input: errors[] names each field; nothing was written.');
  if (doc.scope !== null || doc.operationId !== 'openapi') responses['401'] = problemResponse('No valid access token.');
  if (doc.scope !== null) responses['403'] = problemResponse(`The token lacks the ${doc.scope} scope.`);
  if (doc.body) responses['415'] = problemResponse('The body is not JSON.');
  for (const [status, description] of Object.entries(doc.problems ?? {})) responses[status] = problemResponse(description);
  const operation: JsonSchema = { operationId: doc.operationId, summary: doc.summary, responses };
  if (doc.description) operation.description = doc.description;
  if (parameters.length) operation.parameters = parameters;
  if (doc.body) operation.requestBody = { required: doc.body.required, description: doc.body.description, content: { 'application/json': { schema: jsonSchema(doc.body.schema, 'input') } } };
  operation.security = doc.operationId === 'openapi' ? [] : [{ bearer: doc.scope ? [doc.scope] : [] }];
  return operation;
}

export function buildOpenApi(routes: readonly DocumentedRoute[], options: { serverUrl: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const pathParams = [...route.template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
    const item: Record<string, unknown> = {};
    for (const [method, entry] of Object.entries(route.methods)) item[method.toLowerCase()] = operationOf(entry!.doc, pathParams);
    paths[route.template] = item;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ThetaSecure admin API',
      version: options.version,
      description: 'Manage the OAuth 2.0 clients of a ThetaSecure server. Errors are RFC 9457 problem documents. See server/README.md.',
    },
    servers: [{ url: options.serverUrl }],
    paths,
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from this server (client_credentials, or authorization code with PKCE).' } },
    },
  };
}
