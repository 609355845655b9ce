// GET /api/v1/openapi.json over real HTTP: a valid OpenAPI 3.1 document (checked by
// @apidevtools/swagger-parser, which validates against the specification's own schema) that
// describes every route of the table, with the limits the handlers enforce.
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.ts';
import type { TestServer } from '../testing/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

type Doc = { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[]; requestBody?: unknown; responses: Record<string, unknown> }>> };

describe('GET /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document, served without a token', async () => {
    const response = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as Doc;
    expect(document.openapi).toBe('3.1.0');
    // validate() throws with the first violation of the OpenAPI 3.1 schema.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it('describes every route with its methods, parameters and limits', async () => {
    const document = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as Doc;
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/audit',
        '/clients',
        '/clients/batch',
        '/clients/changes',
        '/clients/export',
        '/clients/import',
        '/clients/{clientId}',
        '/clients/{clientId}/history',
        '/clients/{clientId}/secrets',
        '/clients/{clientId}/secrets/{secretId}',
        '/events',
        '/me',
        '/openapi.json',
        '/scopes',
      ].sort(),
    );
    expect(Object.keys(document.paths['/clients/{clientId}']!).sort()).toEqual(['delete', 'get', 'patch']);
    const limit = document.paths['/clients']!.get!.parameters!.find((p) => p.name === 'limit')!;
    expect(limit).toMatchObject({ in: 'query', required: false });
    expect(JSON.stringify(limit.schema)).toContain('500');
    const patch = document.paths['/clients/{clientId}']!.patch!;
    expect(patch.parameters!.find((p) => p.name === 'If-Match')).toMatchObject({ in: 'header', required: true });
    expect(Object.keys(patch.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '412', '415', '428']);
    expect(JSON.stringify(document.paths['/clients/batch']!.post!.requestBody)).toContain('1000');
  });
});
