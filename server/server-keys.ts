// The server's signing keys (a JWKS with private parts) and cookie-signing keys. Generated on the
// first start and kept in the database, so tokens and sessions stay valid across restarts.
import crypto from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import type { JWK, JWKS } from 'oidc-provider';
import type { Db } from './database.ts';

export interface ServerKeys {
  /** Private JWKS for oidc-provider: an RSA key (RS256 ID tokens) and a P-256 key (ES256 access tokens). */
  jwks: JWKS;
  cookieKeys: string[];
}

function generateJwk(type: 'rsa' | 'ec', alg: string): JWK {
  const { privateKey } = type === 'rsa'
    ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    : crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const thumbprintInput = type === 'rsa' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  const kid = crypto.createHash('sha256').update(JSON.stringify(thumbprintInput)).digest('base64url');
  return { ...jwk, kid, alg, use: 'sig' };
}

function read<T>(db: Db, name: string): T | undefined {
  const row = db.prepare('SELECT value FROM server_keys WHERE name = ?').get(name) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : undefined;
}

/** New keys of each kind (the first process to start stores them; postgres/server-keys.ts). */
export function generateServerKey(name: 'jwks' | 'cookie_keys'): string {
  return JSON.stringify(name === 'jwks' ? { keys: [generateJwk('rsa', 'RS256'), generateJwk('ec', 'ES256')] } : [crypto.randomBytes(32).toString('base64url')]);
}

/** Loads the keys, generating and storing any that do not exist yet. */
export function loadOrCreateServerKeys(db: Db, now: () => Date = () => new Date()): ServerKeys {
  return db.transaction(() => {
    const insert = db.prepare('INSERT INTO server_keys (name, value, created_at) VALUES (?, ?, ?)');
    let jwks = read<JWKS>(db, 'jwks');
    if (!jwks) {
      jwks = { keys: [generateJwk('rsa', 'RS256'), generateJwk('ec', 'ES256')] };
      insert.run('jwks', JSON.stringify(jwks), now().toISOString());
    }
    let cookieKeys = read<string[]>(db, 'cookie_keys');
    if (!cookieKeys) {
      cookieKeys = [crypto.randomBytes(32).toString('base64url')];
      insert.run('cookie_keys', JSON.stringify(cookieKeys), now().toISOString());
    }
    return { jwks, cookieKeys };
  })();
}

/** The public half of the JWKS (what `/jwks` serves), for verifying our own tokens locally. */
export function publicJwks(jwks: JWKS): JSONWebKeySet {
  return {
    keys: jwks.keys.map((key) => {
      const publicKey = crypto.createPublicKey({ key: key as crypto.JsonWebKey, format: 'jwk' });
      return { ...publicKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: key.use };
    }),
  };
}
