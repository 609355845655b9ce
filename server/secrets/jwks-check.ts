// What the shared rules cannot check without a crypto library (shared/ imports none): that each
// pasted public key really is a key, i.e. its values form a point on the curve or an RSA modulus
// of at least 2048 bits. Node's own JWK import decides; a key it refuses would only ever fail at
// the token endpoint, so it is refused at create and update instead, naming the key.
import crypto from 'node:crypto';
import type { FieldError, Jwks } from '../../shared/client.ts';

export function unusableKeyErrors(jwks: Jwks | null | undefined): FieldError[] {
  if (!jwks) return [];
  const errors: FieldError[] = [];
  jwks.keys.forEach((jwk, index) => {
    try {
      const key = crypto.createPublicKey({ key: jwk as crypto.JsonWebKey, format: 'jwk' });
      if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
        errors.push({ field: `jwks.keys[${index}].n`, message: 'The RSA key is shorter than 2048 bits.' });
      }
    } catch {
      errors.push({ field: `jwks.keys[${index}]`, message: 'This is not a usable public key: its values do not form a valid key. Paste the JWK your key tool exported.' });
    }
  });
  return errors;
}
