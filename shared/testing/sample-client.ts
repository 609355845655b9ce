// One client resource as the server returns it, for tests that need no server: a custom
// client_credentials client, with whatever the test changes on top.
import type { Client } from '../client.ts';

export function sampleClient(overrides: Partial<Client> = {}): Client {
  return {
    clientId: 'tsc_x',
    name: 'x',
    description: '',
    kind: 'custom',
    status: 'active',
    grantTypes: ['client_credentials'],
    responseTypes: ['token'],
    redirectUris: [],
    scopes: ['directory:read'],
    requireConsent: false,
    tokenEndpointAuthMethod: 'client_secret_basic',
    jwksUri: null,
    jwks: null,
    labels: [],
    secrets: [],
    lastUsedAt: null,
    createdAt: '2026-11-26T12:00:00.000Z',
    updatedAt: '2026-11-26T12:00:00.000Z',
    version: 1,
    changeSeq: 1,
    ...overrides,
  };
}
