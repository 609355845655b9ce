// How the provider's models are kept in SQLite without the values that are bearer credentials
// (issue 9, item 6: refresh tokens and codes were primary keys, so whoever read the file could
// redeem them). The row key is a SHA-256 of the model's id (the token, code, session cookie or
// interaction id), and the payload is sealed with AES-256-GCM under a key derived from that same
// id: the database alone holds neither the id nor anything readable, such as the authorization
// request's `state`. Only the provider, presented the id again, finds and opens the row.
//
// Sessions are the exception to sealing: the provider also looks them up by `uid` (findByUid),
// without the id, so their payload (account, login time, per-client grant ids; no credential) is
// stored in the clear, minus the id itself. Their key is still the hash.
import crypto from 'node:crypto';

const ID_LABEL = 'thetasecure:oidc-model-id:v1\0';
const KEY_LABEL = 'thetasecure:oidc-model-key:v1\0';

/** The stored row key of a model id. Ids are ≥ 128-bit random values, so a plain hash suffices. */
export function modelKey(model: string, id: string): string {
  return crypto.createHash('sha256').update(`${ID_LABEL}${model}\0${id}`).digest('base64url');
}

function sealingKey(model: string, id: string): Buffer {
  return crypto.createHash('sha256').update(`${KEY_LABEL}${model}\0${id}`).digest();
}

/** `v1.<iv>.<ciphertext+tag>`; the model and row key are bound as associated data. */
export function seal(model: string, id: string, plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', sealingKey(model, id), iv);
  cipher.setAAD(Buffer.from(`${model}\0${modelKey(model, id)}`));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** The plaintext, or null when the row was not sealed for this id (or was tampered with). */
export function open(model: string, id: string, stored: string): string | null {
  const [version, ivText, sealedText] = stored.split('.');
  if (version !== 'v1' || !ivText || !sealedText) return null;
  try {
    const sealed = Buffer.from(sealedText, 'base64url');
    const decipher = crypto.createDecipheriv('aes-256-gcm', sealingKey(model, id), Buffer.from(ivText, 'base64url'));
    decipher.setAAD(Buffer.from(`${model}\0${modelKey(model, id)}`));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** Models the provider also finds without their id (by uid): stored unsealed, id removed. */
export const UNSEALED_MODELS = new Set(['Session']);
