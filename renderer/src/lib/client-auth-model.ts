// The Custom Client form's "Client authentication" as plain data: the method, and for private
// key JWT where the public keys come from (a JWKS URL, or a key set pasted as JSON). The pasted
// text is parsed here so its problems are named on the `jwks` field before anything is sent;
// the rules between method, keys and grants are the shared ones (shared/client-auth.ts).
import { jwksInput, jwksUriProblem } from '../../../shared/client.ts';
import type { Client, Jwks, TokenEndpointAuthMethod } from '../../../shared/client.ts';
import type { FieldErrors } from './client-form-model.ts';

export interface AuthFormValues {
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** private_key_jwt: a JWKS URL, or a pasted key set. */
  jwksSource: 'uri' | 'paste';
  jwksUri: string;
  jwksText: string;
}

export const DEFAULT_AUTH: AuthFormValues = { tokenEndpointAuthMethod: 'client_secret_basic', jwksSource: 'uri', jwksUri: '', jwksText: '' };

export function authFromClient(client: Pick<Client, 'tokenEndpointAuthMethod' | 'jwksUri' | 'jwks'>): AuthFormValues {
  return {
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
    jwksSource: client.jwks ? 'paste' : 'uri',
    jwksUri: client.jwksUri ?? '',
    jwksText: client.jwks ? JSON.stringify(client.jwks, null, 2) : '',
  };
}

export interface ParsedAuth {
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  jwksUri: string | null;
  jwks: Jwks | null;
}

/** The pasted key set, or why it cannot be read. */
export function parseJwksText(text: string): { ok: true; jwks: Jwks } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, message: 'Paste the public keys as a JWKS: {"keys": [ … ]}.' };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { ok: false, message: 'The pasted JWKS is not valid JSON.' };
  }
  // A single JWK pasted on its own is a common slip: say what is expected.
  if (json && typeof json === 'object' && !Array.isArray(json) && 'kty' in json && !('keys' in json)) {
    return { ok: false, message: 'This is a single key: wrap it as {"keys": [ … ]}.' };
  }
  const parsed = jwksInput.safeParse(json);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'The pasted JWKS is not a key set.' };
  return { ok: true, jwks: parsed.data };
}

/**
 * What the form's authentication fields mean, and the problems only the form can see (an empty
 * URL, unreadable JSON). The key-level rules run afterwards, with the other settings.
 */
export function authFormProblems(values: AuthFormValues): { value: ParsedAuth; errors: FieldErrors } {
  const method = values.tokenEndpointAuthMethod;
  const errors: FieldErrors = {};
  if (method !== 'private_key_jwt') return { value: { tokenEndpointAuthMethod: method, jwksUri: null, jwks: null }, errors };
  if (values.jwksSource === 'uri') {
    const uri = values.jwksUri.trim();
    if (!uri) errors.jwksUri = 'Enter the https URL where the application publishes its public keys.';
    else {
      const problem = jwksUriProblem(uri);
      if (problem) errors.jwksUri = problem;
    }
    // An empty URL is already reported; the shared rule would repeat it in other words.
    return { value: { tokenEndpointAuthMethod: method, jwksUri: uri || 'https://', jwks: null }, errors };
  }
  const parsed = parseJwksText(values.jwksText);
  if (!parsed.ok) {
    errors.jwks = parsed.message;
    return { value: { tokenEndpointAuthMethod: method, jwksUri: null, jwks: { keys: [] } }, errors };
  }
  return { value: { tokenEndpointAuthMethod: method, jwksUri: null, jwks: parsed.jwks }, errors };
}

/** The request's authentication fields (only what the chosen method uses). */
export function authInput(values: AuthFormValues): { tokenEndpointAuthMethod: TokenEndpointAuthMethod; jwksUri?: string; jwks?: Jwks } {
  const method = values.tokenEndpointAuthMethod;
  if (method !== 'private_key_jwt') return { tokenEndpointAuthMethod: method };
  if (values.jwksSource === 'uri') return { tokenEndpointAuthMethod: method, jwksUri: values.jwksUri.trim() };
  const parsed = parseJwksText(values.jwksText);
  return parsed.ok ? { tokenEndpointAuthMethod: method, jwks: parsed.jwks } : { tokenEndpointAuthMethod: method };
}
