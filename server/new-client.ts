// Turns validated settings into a client record ready for the store: an id and, for confidential
// clients, a fresh secret of which only the hash is kept. Used by the admin API, provisioning
// and the benchmark's seeding.
import { usesClientSecret } from '../shared/client.ts';
import type { ClientSettings } from '../shared/client.ts';
import type { NewClient, StoredSecret } from './client-store.ts';
import { generateClientId, generateClientSecret, generateSecretId, hashClientSecret, secretHint } from './secrets/secret-values.ts';

export function storedSecret(secret: string, createdAt: string, expiresAt: string | null = null): StoredSecret {
  return { id: generateSecretId(), hash: hashClientSecret(secret), hint: secretHint(secret), createdAt, expiresAt, lastUsedAt: null, status: 'active', retiresAt: null };
}

export interface PreparedClient {
  record: NewClient;
  /** The secret in clear text: returned once to whoever created the client, never stored. */
  clientSecret: string | null;
}

export function prepareNewClient(settings: ClientSettings, options: { clientId?: string; secret?: string; now?: Date; secretExpiresAt?: string | null } = {}): PreparedClient {
  const createdAt = (options.now ?? new Date()).toISOString();
  // Only secret-based methods get a secret: a public or private_key_jwt client has none.
  const confidential = usesClientSecret(settings.tokenEndpointAuthMethod);
  const clientSecret = confidential ? (options.secret ?? generateClientSecret()) : null;
  return {
    record: {
      clientId: options.clientId ?? generateClientId(),
      settings,
      secret: clientSecret ? storedSecret(clientSecret, createdAt, options.secretExpiresAt ?? null) : null,
      createdAt,
    },
    clientSecret,
  };
}
