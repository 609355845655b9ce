// Many clients in one transaction (seeding, imports, first-start provisioning): rows go in as
// arrays through unnest(), 1,000 a statement, so 100,000 clients are 100 round trips, not 300,000.
import type pg from 'pg';
import { changeableColumns } from '../client-rows.ts';
import type { NewClient } from '../client-store.ts';

const CHUNK = 1_000;

export async function insertClients(tx: pg.ClientBase, clients: readonly NewClient[], firstSeq: number, actor: string, now: string): Promise<void> {
  for (let start = 0; start < clients.length; start += CHUNK) {
    const chunk = clients.slice(start, start + CHUNK);
    const columns = {
      clientId: [] as string[], name: [] as string[], description: [] as string[], kind: [] as string[], status: [] as string[],
      grantTypes: [] as string[], grantMask: [] as number[], responseTypes: [] as string[], redirectUris: [] as string[], scopes: [] as string[],
      requireConsent: [] as number[], method: [] as string[], jwksUri: [] as (string | null)[], jwks: [] as (string | null)[], createdAt: [] as string[], seq: [] as number[],
      labels: [] as string[],
    };
    const secrets = { id: [] as string[], clientId: [] as string[], hash: [] as string[], hint: [] as string[], createdAt: [] as string[], expiresAt: [] as (string | null)[] };
    const audit: string[] = [];
    chunk.forEach((client, index) => {
      const c = changeableColumns(client.settings);
      columns.clientId.push(client.clientId);
      columns.name.push(c.name);
      columns.description.push(c.description);
      columns.kind.push(client.settings.kind);
      columns.status.push(c.status);
      columns.grantTypes.push(c.grantTypes);
      columns.grantMask.push(c.grantMask);
      columns.responseTypes.push(c.responseTypes);
      columns.redirectUris.push(c.redirectUris);
      columns.scopes.push(c.scopes);
      columns.requireConsent.push(c.requireConsent);
      columns.method.push(c.tokenEndpointAuthMethod);
      columns.jwksUri.push(c.jwksUri);
      columns.jwks.push(c.jwks);
      columns.createdAt.push(client.createdAt ?? now);
      columns.seq.push(firstSeq + start + index);
      columns.labels.push(c.labels);
      if (client.secret) {
        secrets.id.push(client.secret.id);
        secrets.clientId.push(client.clientId);
        secrets.hash.push(client.secret.hash);
        secrets.hint.push(client.secret.hint);
        secrets.createdAt.push(client.secret.createdAt);
        secrets.expiresAt.push(client.secret.expiresAt);
      }
      // The audit record names the secret by id and hint only.
      audit.push(JSON.stringify({ ...client.settings, secret: client.secret ? { id: client.secret.id, hint: client.secret.hint } : null }));
    });
    // An id deleted earlier and created again is a client again, not a deletion.
    await tx.query('DELETE FROM client_tombstones WHERE client_id = ANY($1)', [columns.clientId]);
    await tx.query(
      `INSERT INTO clients (client_id, name, description, kind, status, grant_types, grant_mask, response_types, redirect_uris, scopes, require_consent,
        token_endpoint_auth_method, jwks_uri, jwks, created_at, updated_at, version, change_seq, labels)
       SELECT client_id, name, description, kind, status, grant_types, grant_mask, response_types, redirect_uris, scopes, require_consent,
        method, jwks_uri, jwks, created_at, created_at, 1, seq, labels
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[], $9::text[], $10::text[], $11::int[],
        $12::text[], $13::text[], $14::text[], $15::text[], $16::bigint[], $17::text[])
        AS t (client_id, name, description, kind, status, grant_types, grant_mask, response_types, redirect_uris, scopes, require_consent,
        method, jwks_uri, jwks, created_at, seq, labels)
       ORDER BY seq`,
      Object.values(columns),
    );
    if (secrets.id.length) {
      await tx.query(
        `INSERT INTO client_secrets (id, client_id, hash, hint, created_at, expires_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
        Object.values(secrets),
      );
    }
    await tx.query(
      `INSERT INTO audit_log (at, actor, action, client_id, changes)
       SELECT $1, $2, 'client.create', client_id, changes FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t (client_id, changes, n) ORDER BY n`,
      [now, actor, columns.clientId, audit],
    );
  }
}
