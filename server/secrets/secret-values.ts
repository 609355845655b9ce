// Client secrets and generated identifiers. A client secret is 256 random bits; for such a value a
// plain SHA-256 is a sound verifier (nothing to brute-force), while a slow KDF would cut token
// throughput ~60× (architecture §2, §7). Comparison is constant time.
import crypto from 'node:crypto';

export const SECRET_HINT_LENGTH = 4;

/** A new client secret: 32 random bytes, base64url (43 characters). */
export function generateClientSecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** A new client id for a created client: `tsc_` and 128 random bits. */
export function generateClientId(): string {
  return `tsc_${crypto.randomBytes(16).toString('base64url')}`;
}

export function generateSecretId(): string {
  return `sec_${crypto.randomBytes(9).toString('base64url')}`;
}

/** A readable generated password (for the first-start users): 20 characters, ~119 bits. */
export function generatePassword(): string {
  return crypto.randomBytes(15).toString('base64url');
}

export function hashClientSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** The last characters of a secret, shown so that a user can tell secrets apart. */
export function secretHint(secret: string): string {
  return secret.slice(-SECRET_HINT_LENGTH);
}

/** True when `secret` hashes to one of `hashes`; every hash is compared, in constant time. */
export function clientSecretMatches(secret: string, hashes: readonly string[]): boolean {
  return matchingSecret(secret, hashes.map((hash) => ({ id: hash, hash }))) !== null;
}

/** The id of the candidate `secret` hashes to, or null; every candidate is compared, in constant time. */
export function matchingSecret(secret: string, candidates: readonly { id: string; hash: string }[]): string | null {
  const actual = crypto.createHash('sha256').update(secret, 'utf8').digest();
  let matched: string | null = null;
  for (const candidate of candidates) {
    const expected = Buffer.from(candidate.hash, 'base64url');
    if (expected.length === actual.length && crypto.timingSafeEqual(expected, actual)) matched = candidate.id;
  }
  return matched;
}
