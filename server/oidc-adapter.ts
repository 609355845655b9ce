// oidc-provider's storage Adapter over the server's database (SQLite or PostgreSQL, through ModelRows). Every model (Session, Grant, AuthorizationCode,
// RefreshToken, Interaction, ...) is a JSON row in `oidc_models`; the `Client` model instead reads
// the client store, so a client created, changed, disabled or deleted through the admin API is
// what the token endpoint sees on its next request.
import type { Adapter, AdapterPayload, ClientMetadata } from 'oidc-provider';
import type { Client } from '../shared/client.ts';
import { usesClientSecret } from '../shared/client.ts';
import { isLoopbackRedirectUri } from '../shared/redirect-uris.ts';
import type { ClientStore, ClientWithSecretHashes } from './client-store.ts';
import type { Db } from './database.ts';
import { UNSEALED_MODELS, modelKey, open, seal } from './model-sealing.ts';

/** Grant types oidc-provider implements that a client may hold; "password" and "implicit" are not offered. */
const PROTOCOL_GRANTS = new Set(['authorization_code', 'client_credentials', 'refresh_token']);

/**
 * The provider's view of a client. The resource's `responseTypes` is the product's display setting;
 * the protocol's `response_types` follow from the grant types (authorization_code ⇒ code, no
 * implicit flow). Secret clients get a placeholder `client_secret` (the provider wants one): the
 * replaced `compareClientSecret` checks the stored hashes and their status (provider.ts), and
 * nothing is keyed from it (client_secret_jwt and HS* are off). A private_key_jwt client brings
 * its key source, which the provider verifies assertions with.
 */
export function toProviderClientMetadata(client: Client): ClientMetadata {
  const grantTypes = client.grantTypes.filter((grant) => PROTOCOL_GRANTS.has(grant));
  const usesCode = grantTypes.includes('authorization_code');
  // RFC 8252: loopback and private-use-scheme redirects are native apps (any loopback port is accepted).
  const native = client.redirectUris.some((uri) => isLoopbackRedirectUri(uri) || !/^https:/i.test(uri));
  const metadata: ClientMetadata = {
    client_id: client.clientId,
    client_name: client.name,
    grant_types: grantTypes,
    response_types: usesCode ? ['code'] : [],
    redirect_uris: usesCode ? [...client.redirectUris] : [],
    scope: client.scopes.join(' '),
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    application_type: native ? 'native' : 'web',
  };
  if (usesClientSecret(client.tokenEndpointAuthMethod)) metadata.client_secret = 'checked-against-stored-hashes';
  if (client.tokenEndpointAuthMethod === 'private_key_jwt') {
    if (client.jwksUri !== null) metadata.jwks_uri = client.jwksUri;
    else if (client.jwks !== null) metadata.jwks = client.jwks as ClientMetadata['jwks'];
  }
  return metadata;
}

export interface ModelRow {
  payload: string;
  expires_at: number | null;
  consumed_at: number | null;
}

/** One provider row as written: `id` is the hashed key, never the credential itself. */
export interface ModelWrite {
  model: string;
  id: string;
  payload: string;
  expiresAt: number | null;
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
}

/** Where the provider's rows live: SQLite (below) or PostgreSQL (postgres/models.ts). */
export interface ModelRows {
  upsert(row: ModelWrite): Promise<void>;
  find(model: string, id: string): Promise<ModelRow | undefined>;
  findByUid(model: string, uid: string): Promise<ModelRow | undefined>;
  findByUserCode(model: string, userCode: string): Promise<ModelRow | undefined>;
  consume(model: string, id: string, at: number): Promise<void>;
  destroy(model: string, id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
  /** Deletes rows expired at `now` (epoch seconds); returns how many. */
  deleteExpired(now: number): Promise<number>;
}

export function sqliteModelRows(db: Db): ModelRows {
  const statements = {
    upsert: db.prepare(`INSERT INTO oidc_models (model, id, payload, expires_at, grant_id, uid, user_code, consumed_at)
      VALUES (@model, @id, @payload, @expiresAt, @grantId, @uid, @userCode, NULL)
      ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, expires_at = excluded.expires_at,
        grant_id = excluded.grant_id, uid = excluded.uid, user_code = excluded.user_code`),
    find: db.prepare('SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND id = ?'),
    findByUid: db.prepare('SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND uid = ?'),
    findByUserCode: db.prepare('SELECT payload, expires_at, consumed_at FROM oidc_models WHERE model = ? AND user_code = ?'),
    consume: db.prepare('UPDATE oidc_models SET consumed_at = ? WHERE model = ? AND id = ?'),
    destroy: db.prepare('DELETE FROM oidc_models WHERE model = ? AND id = ?'),
    revoke: db.prepare('DELETE FROM oidc_models WHERE grant_id = ?'),
    expired: db.prepare('DELETE FROM oidc_models WHERE expires_at IS NOT NULL AND expires_at <= ?'),
  };
  return {
    async upsert(row) {
      statements.upsert.run(row);
    },
    async find(model, id) {
      return statements.find.get(model, id) as ModelRow | undefined;
    },
    async findByUid(model, uid) {
      return statements.findByUid.get(model, uid) as ModelRow | undefined;
    },
    async findByUserCode(model, userCode) {
      return statements.findByUserCode.get(model, userCode) as ModelRow | undefined;
    },
    async consume(model, id, at) {
      statements.consume.run(at, model, id);
    },
    async destroy(model, id) {
      statements.destroy.run(model, id);
    },
    async revokeByGrantId(grantId) {
      statements.revoke.run(grantId);
    },
    async deleteExpired(now) {
      return statements.expired.run(now).changes;
    },
  };
}

function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Rows are keyed by a hash of the id and their payloads sealed under it (model-sealing.ts), so
 * the database holds no token, code, session id or request `state` (issue 9, item 6).
 */
class ModelAdapter implements Adapter {
  readonly #rows: ModelRows;
  readonly #model: string;
  readonly #sealed: boolean;

  constructor(rows: ModelRows, model: string) {
    this.#rows = rows;
    this.#model = model;
    this.#sealed = !UNSEALED_MODELS.has(model);
  }

  #key(id: string): string {
    return modelKey(this.#model, id);
  }

  #encode(id: string, payload: AdapterPayload): string {
    // The id is the credential: never stored, given back from the lookup instead.
    const { jti: _jti, ...rest } = payload;
    const text = JSON.stringify(rest);
    return this.#sealed ? seal(this.#model, id, text) : text;
  }

  #decode(id: string | null, row: ModelRow | undefined): AdapterPayload | undefined {
    if (!row) return undefined;
    if (row.expires_at !== null && row.expires_at <= epochSeconds()) return undefined;
    const text = this.#sealed ? (id === null ? null : open(this.#model, id, row.payload)) : row.payload;
    if (text === null) return undefined;
    const payload = JSON.parse(text) as AdapterPayload;
    if (id !== null) payload.jti = id;
    if (row.consumed_at !== null) payload.consumed = row.consumed_at;
    return payload;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    await this.#rows.upsert({
      model: this.#model,
      id: this.#key(id),
      payload: this.#encode(id, payload),
      expiresAt: expiresIn ? epochSeconds() + expiresIn : null,
      grantId: payload.grantId ?? null,
      // Only unsealed models are looked up by uid; a sealed row keeps its uid inside the seal.
      uid: this.#sealed ? null : (payload.uid ?? null),
      userCode: payload.userCode ? modelKey(`${this.#model}:userCode`, payload.userCode) : null,
    });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#decode(id, await this.#rows.find(this.#model, this.#key(id)));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    if (this.#sealed) return undefined;
    // The provider needs the id back (it is the session cookie); only its hash is stored, so a
    // session found by uid cannot be re-saved under its id. oidc-provider uses findByUid to read
    // a session (refresh-token checks, interaction results), not to write it.
    return this.#decode(null, await this.#rows.findByUid(this.#model, uid));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    // The device flow is not enabled; kept correct anyway: the user code is stored hashed.
    if (this.#sealed) return undefined;
    return this.#decode(null, await this.#rows.findByUserCode(this.#model, modelKey(`${this.#model}:userCode`, userCode)));
  }

  async consume(id: string): Promise<void> {
    await this.#rows.consume(this.#model, this.#key(id), epochSeconds());
  }

  async destroy(id: string): Promise<void> {
    await this.#rows.destroy(this.#model, this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.#rows.revokeByGrantId(grantId);
  }
}

function deepFreeze<T extends object>(value: T): T {
  for (const item of Object.values(value)) if (item && typeof item === 'object') deepFreeze(item as object);
  return Object.freeze(value);
}

/** The `Client` model: read-only, from the client store. Disabled or deleted clients do not exist. */
class ClientStoreAdapter implements Adapter {
  readonly #clients: ClientStore;
  /** The store may hand back the same (read-only) object while a client is unchanged. */
  readonly #metadata = new WeakMap<ClientWithSecretHashes, AdapterPayload>();

  constructor(clients: ClientStore) {
    this.#clients = clients;
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const found = await this.#clients.getWithSecretHashes(id);
    if (!found || found.client.status !== 'active') return undefined;
    let metadata = this.#metadata.get(found);
    if (!metadata) {
      metadata = deepFreeze(toProviderClientMetadata(found.client));
      this.#metadata.set(found, metadata);
    }
    return metadata;
  }

  async upsert(): Promise<void> {
    throw new Error('Clients are managed through the admin API, not by the provider.');
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(): Promise<void> {}

  async destroy(): Promise<void> {}

  async revokeByGrantId(): Promise<void> {}
}

/** The adapter factory oidc-provider is configured with. */
export function adapterFactory(rows: ModelRows, clients: ClientStore): (model: string) => Adapter {
  return (model) => (model === 'Client' ? new ClientStoreAdapter(clients) : new ModelAdapter(rows, model));
}

/** Deletes expired provider rows; run now and then (rows past expiry are already invisible). */
export function deleteExpiredModels(rows: ModelRows): Promise<number> {
  return rows.deleteExpired(epochSeconds());
}
