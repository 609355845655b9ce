import type { Client } from '../../../shared/client.ts';

/** Client resources as the server returns them, for the cache tests that need no server. */
export function sampleClients(count: number, prefix = 'Billing Service'): Client[] {
  return Array.from({ length: count }, (_, index) => ({
    clientId: `tsc_sample${index}`,
    name: `${prefix} ${index}`,
    description: 'Invoices',
    kind: 'custom' as const,
    status: 'active' as const,
    grantTypes: ['client_credentials' as const],
    responseTypes: ['token' as const],
    redirectUris: [],
    scopes: ['directory:read'],
    requireConsent: false,
    tokenEndpointAuthMethod: 'client_secret_basic' as const,
    secrets: [{ id: `sec_${index}`, hint: `…Qa9${index % 10}`, createdAt: '2026-11-26T12:00:00.000Z', expiresAt: null }],
    createdAt: '2026-11-26T12:00:00.000Z',
    updatedAt: '2026-11-26T12:00:00.000Z',
    version: 1,
    changeSeq: 1,
  }));
}
