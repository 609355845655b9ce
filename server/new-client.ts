// Turns validated settings into a client record ready for the store: an id and, for confidential
// clients, a fresh secret of which only the hash is kept. Used by the admin API, provisioning
// and the benchmark's seeding.
import type { ClientSettings } from '../shared/client.ts';
import type { NewClient, StoredSecret } from './client-store.ts';
import { generateClientId, generateClientSecret, generateSecretId, hashClientSecret, secretHint } from './secrets.ts';

export function storedSecret(secret: string, createdAt: string): StoredSecret {
  return { id: generateSecretId(), hash: hashClientSecret(secret), hint: secretHint(secret), createdAt, expiresAt: null, lastUsedAt: null, status: 'active', retiresAt: null };
}

export interface PreparedClient {
  record: NewClient;
  /** The secret in clear text: returned once to whoever created the client, never stored. */
  clientSecret: string | null;
}

export function prepareNewClient(settings: ClientSettings, options: { clientId?: string; secret?: string; now?: Date } = {}): PreparedClient {
  const createdAt = (options.now ?? new Date()).toISOString();
  const confidential = settings.tokenEndpointAuthMethod !== 'none';
  const clientSecret = confidential ? (options.secret ?? generateClientSecret()) : null;
  return {
    record: {
      clientId: options.clientId ?? generateClientId(),
      settings,
      secret: clientSecret ? storedSecret(clientSecret, createdAt) : null,
      createdAt,
    },
    clientSecret,
  };
}
