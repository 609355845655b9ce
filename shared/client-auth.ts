// How a client authenticates at the token endpoint, and the lifecycle of its secrets (issue 10):
// the secret metadata of the resource, the rotation input and answer, and the rules that tie the
// authentication method to the public keys (private_key_jwt) and grants (public clients). The
// server validates with these and the form checks fields with them, so a rule exists once.
import { z } from 'zod';
import type { GrantType } from './catalogs.ts';

export const TOKEN_ENDPOINT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
export const TokenEndpointAuthMethodSchema = z.enum(TOKEN_ENDPOINT_AUTH_METHODS, {
  error: `Client authentication must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}.`,
});
export type TokenEndpointAuthMethod = z.infer<typeof TokenEndpointAuthMethodSchema>;

/** Methods that authenticate with a client secret; only these clients hold secrets. */
export function usesClientSecret(method: TokenEndpointAuthMethod): boolean {
  return method === 'client_secret_basic' || method === 'client_secret_post';
}

/** One line per method, for the form and the details panel. */
export const TOKEN_ENDPOINT_AUTH_METHOD_LABELS: Record<TokenEndpointAuthMethod, string> = {
  client_secret_basic: 'Client secret (HTTP Basic)',
  client_secret_post: 'Client secret (in the request body)',
  private_key_jwt: 'Private key JWT (signed assertion, no shared secret)',
  none: 'None: public client, Authorization Code with PKCE',
};

// ---- secrets ------------------------------------------------------------------------------

/** How many secrets a confidential client holds at most, whatever their status. */
export const SECRETS_MAX = 3;
export const SECRET_EXPIRES_IN_DAYS_MAX = 730;
export const RETIRE_OTHERS_AFTER_HOURS_MAX = 720;

/**
 * `active`: authenticates now. `expired`: its `expiresAt` has passed. `retired`: retired by hand
 * (DELETE) or its overlap window (`retiresAt`) has passed. The status is computed by the server
 * when it answers, against its clock; a copy that keeps clients for a while should recompute it
 * from `expiresAt` and `retiresAt` (no change is published when time alone moves a status on).
 */
export const SecretStatusSchema = z.enum(['active', 'expired', 'retired']);
export type SecretStatus = z.infer<typeof SecretStatusSchema>;

export const SecretMetaSchema = z.object({
  id: z.string(),
  /** The last 4 characters of the secret. */
  hint: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  /** When this secret last obtained a token (recorded at most once a minute per client). */
  lastUsedAt: z.string().nullable(),
  status: SecretStatusSchema,
  /** When it stops working because a newer secret replaced it (the overlap window's end), or when it was retired. */
  retiresAt: z.string().nullable(),
});
export type SecretMeta = z.infer<typeof SecretMetaSchema>;

/** The status of a secret at `now` (ISO timestamps compare as text). */
export function secretStatusAt(secret: { expiresAt: string | null; retiresAt: string | null }, now: string): SecretStatus {
  if (secret.retiresAt !== null && secret.retiresAt <= now) return 'retired';
  if (secret.expiresAt !== null && secret.expiresAt <= now) return 'expired';
  return 'active';
}

const wholeNumber = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number.` })
    .int({ error: `${field} must be a whole number.` })
    .min(min, { error: `${field} must be at least ${min}.` })
    .max(max, { error: `${field} can be at most ${max}.` });

/**
 * `POST /api/v1/clients/{clientId}/secrets`. `expiresInDays` absent: the secret never expires
 * (refused when the server caps secret lifetimes). `retireOthersAfterHours` absent: the other
 * secrets stay as they are; 0: they stop working at once; N: they keep working N more hours.
 */
export const RotateSecretInputSchema = z
  .object({
    expiresInDays: wholeNumber('expiresInDays', 1, SECRET_EXPIRES_IN_DAYS_MAX).optional(),
    retireOthersAfterHours: wholeNumber('retireOthersAfterHours', 0, RETIRE_OTHERS_AFTER_HOURS_MAX).optional(),
  })
  .strict();
export type RotateSecretInput = z.input<typeof RotateSecretInputSchema>;

/** 201 answer: the secret in clear, shown this once. */
export const RotateSecretResponseSchema = z.object({
  secret: z.string(),
  id: z.string(),
  hint: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});
export type RotateSecretResponse = z.infer<typeof RotateSecretResponseSchema>;

export const SecretListSchema = z.object({ items: z.array(SecretMetaSchema) });
export type SecretList = z.infer<typeof SecretListSchema>;

// ---- public keys (private_key_jwt) ---------------------------------------------------------

export const JWKS_KEYS_MAX = 10;
export const JWKS_URI_MAX = 2000;

/** A JSON Web Key Set as stored and returned: only public signing keys (see jwkProblems). */
export const JwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
export type Jwks = z.infer<typeof JwksSchema>;

export const jwksInput = z
  .object(
    {
      keys: z
        .array(z.record(z.string(), z.unknown(), { error: 'Each key in jwks.keys must be a JSON object (a JWK).' }), { error: 'jwks.keys must be a list of keys.' })
        .min(1, { error: 'jwks needs at least one key.' })
        .max(JWKS_KEYS_MAX, { error: `jwks can hold at most ${JWKS_KEYS_MAX} keys.` }),
    },
    { error: 'jwks must be a JSON Web Key Set: an object with a "keys" list.' },
  )
  .strict();

export const jwksUriInput = z
  .string({ error: 'jwksUri must be text.' })
  .max(JWKS_URI_MAX, { error: `jwksUri can be at most ${JWKS_URI_MAX} characters.` });

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** An RSA modulus of 2048 bits is 256 bytes: 342 base64url characters. */
const RSA_MODULUS_MIN_CHARS = 342;

interface FieldProblem {
  field: string;
  message: string;
}

/** Why one JWK cannot be used to verify client assertions: RS256, ES256 (P-256) or EdDSA (Ed25519) public keys only. */
export function jwkProblems(key: Record<string, unknown>, path: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const member of PRIVATE_MEMBERS) {
    if (member in key) problems.push({ field: `${path}.${member}`, message: `This key holds the private member "${member}": paste the public key only, and treat the private key as exposed.` });
  }
  if (problems.length) return problems;
  const text = (member: string) => (typeof key[member] === 'string' && BASE64URL.test(key[member]) ? (key[member] as string) : null);
  const expectAlg = (alg: string) => {
    if (key.alg !== undefined && key.alg !== alg) problems.push({ field: `${path}.alg`, message: `A ${String(key.kty)} key here must be used with ${alg}, not ${JSON.stringify(key.alg)}.` });
  };
  if (key.use !== undefined && key.use !== 'sig') problems.push({ field: `${path}.use`, message: 'The key must be a signing key ("use": "sig") or say nothing about its use.' });
  if (key.kid !== undefined && (typeof key.kid !== 'string' || key.kid.length === 0 || key.kid.length > 200)) problems.push({ field: `${path}.kid`, message: 'kid must be text of 1 to 200 characters.' });
  switch (key.kty) {
    case 'RSA': {
      const n = text('n');
      if (!n) problems.push({ field: `${path}.n`, message: 'An RSA key needs its modulus "n" (base64url).' });
      else if (n.length < RSA_MODULUS_MIN_CHARS) problems.push({ field: `${path}.n`, message: 'The RSA key is shorter than 2048 bits.' });
      if (!text('e')) problems.push({ field: `${path}.e`, message: 'An RSA key needs its exponent "e" (base64url).' });
      expectAlg('RS256');
      break;
    }
    case 'EC':
      if (key.crv !== 'P-256') problems.push({ field: `${path}.crv`, message: 'An EC key must be on curve P-256 (ES256).' });
      if (!text('x')) problems.push({ field: `${path}.x`, message: 'An EC key needs its "x" coordinate (base64url).' });
      if (!text('y')) problems.push({ field: `${path}.y`, message: 'An EC key needs its "y" coordinate (base64url).' });
      expectAlg('ES256');
      break;
    case 'OKP':
      if (key.crv !== 'Ed25519') problems.push({ field: `${path}.crv`, message: 'An OKP key must be an Ed25519 key (EdDSA).' });
      if (!text('x')) problems.push({ field: `${path}.x`, message: 'An Ed25519 key needs its "x" (base64url).' });
      expectAlg('EdDSA');
      break;
    default:
      problems.push({ field: `${path}.kty`, message: 'Only RSA (RS256), EC P-256 (ES256) and Ed25519 (EdDSA) public keys can be used.' });
  }
  return problems;
}

/** Why `uri` cannot be a JWKS URL, or null: an absolute https URL without credentials or fragment. */
export function jwksUriProblem(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'jwksUri must be an absolute URL, such as https://app.example.com/.well-known/jwks.json.';
  }
  if (url.protocol !== 'https:') return 'jwksUri must use https.';
  if (url.username || url.password) return 'jwksUri cannot hold a user name or password.';
  if (url.hash) return 'jwksUri cannot have a fragment (#…).';
  return null;
}

/** The part of a client's settings these rules look at. */
export interface AuthSettings {
  kind: 'custom' | 'sync_connector' | 'default';
  grantTypes: readonly GrantType[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  jwksUri?: string | null;
  jwks?: Jwks | null;
}

/**
 * Rules between the authentication method, the keys and the grants. A public client (`none`)
 * signs users in with Authorization Code and PKCE only; a private_key_jwt client has exactly one
 * source of public keys; no other client has keys.
 */
export function authSettingsErrors(settings: AuthSettings): FieldProblem[] {
  const errors: FieldProblem[] = [];
  const method = settings.tokenEndpointAuthMethod;
  const jwksUri = settings.jwksUri ?? null;
  const jwks = settings.jwks ?? null;
  if (method === 'none') {
    if (settings.grantTypes.includes('client_credentials')) errors.push({ field: 'grantTypes', message: 'A public client (no secret) cannot use Client Credentials.' });
    // Default clients are checked by the server's lockout guard, which says what would break.
    else if (settings.kind === 'custom' && !settings.grantTypes.includes('authorization_code')) errors.push({ field: 'grantTypes', message: 'A public client signs users in with Authorization Code (and PKCE): select Authorization Code.' });
  }
  if (method === 'private_key_jwt') {
    if (jwksUri === null && jwks === null) errors.push({ field: 'jwksUri', message: 'A private key JWT client needs its public keys: a JWKS URL (jwksUri) or a pasted JWKS (jwks).' });
    if (jwksUri !== null && jwks !== null) errors.push({ field: 'jwks', message: 'Give either a JWKS URL (jwksUri) or a pasted JWKS (jwks), not both.' });
  } else {
    const why = method === 'none' ? 'A public client has no keys' : 'Only a private key JWT client has public keys';
    if (jwksUri !== null) errors.push({ field: 'jwksUri', message: `${why}: remove jwksUri or choose private_key_jwt.` });
    if (jwks !== null) errors.push({ field: 'jwks', message: `${why}: remove jwks or choose private_key_jwt.` });
  }
  if (jwksUri !== null) {
    const problem = jwksUriProblem(jwksUri);
    if (problem) errors.push({ field: 'jwksUri', message: problem });
  }
  if (jwks !== null) jwks.keys.forEach((key, index) => errors.push(...jwkProblems(key, `jwks.keys[${index}]`)));
  return errors;
}
