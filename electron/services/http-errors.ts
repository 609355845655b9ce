// Telling "the server is not there" apart from "the server said no", for fetch and openid-client.
import { ResponseBodyError, ClientError } from 'openid-client';

export type FailureKind = 'network' | 'timeout' | 'oauth' | 'other';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED']);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function classifyFailure(error: unknown): FailureKind {
  if (error instanceof ResponseBodyError) return 'oauth';
  if (error instanceof ClientError && error.code === 'OAUTH_TIMEOUT') return 'timeout';
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  if (error instanceof Error && (error.name === 'TimeoutError')) return 'timeout';
  if (causeCode(error)) return 'network';
  if (error instanceof TypeError && error.message === 'fetch failed') return 'network';
  return 'other';
}

/** The OAuth `error` code of a token-endpoint answer (e.g. `invalid_grant`), if that is what failed. */
export function oauthErrorCode(error: unknown): string | undefined {
  return error instanceof ResponseBodyError ? error.error : undefined;
}
