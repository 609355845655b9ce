// The rules of the secret lifecycle (issue 10), as pure decisions over a client as stored: what
// a rotation or a retirement does, or why it is refused. The store runs them inside the write's
// transaction (ClientStore.changeSecrets), so two concurrent rotations cannot both take the
// last free place. Decisions are written down in server/README.md, "Secret lifecycle".
import { SECRETS_MAX, TOKEN_ENDPOINT_AUTH_METHOD_LABELS, usesClientSecret } from '../../shared/client.ts';
import type { Client, FieldError, RotateSecretInput, SecretMeta } from '../../shared/client.ts';
import type { SecretDecision, SecretRefusal, StoredSecret } from '../client-store.ts';
import { PROBLEM } from '../http-util.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export function addDays(now: Date | string, days: number): string {
  return new Date(new Date(now).getTime() + days * DAY_MS).toISOString();
}

/** The expiry of a client's first secret: none, or the longest THETASECURE_SECRET_MAX_DAYS allows. */
export function firstSecretExpiry(now: Date, maxDays: number | null): string | null {
  return maxDays === null ? null : addDays(now, maxDays);
}

/** Field errors of a rotation request against the server's cap on secret lifetimes. */
export function expiryErrors(input: RotateSecretInput, maxDays: number | null): FieldError[] {
  if (maxDays === null) return [];
  if (input.expiresInDays === undefined) {
    return [{ field: 'expiresInDays', message: `This server requires secrets to expire (THETASECURE_SECRET_MAX_DAYS): give expiresInDays, 1 to ${maxDays}.` }];
  }
  if (input.expiresInDays > maxDays) return [{ field: 'expiresInDays', message: `expiresInDays can be at most ${maxDays} on this server (THETASECURE_SECRET_MAX_DAYS).` }];
  return [];
}

function noSecrets(client: Client): SecretRefusal {
  return {
    status: 409,
    type: PROBLEM.noSecrets,
    title: 'This client has no secrets',
    detail: `${client.name} authenticates with ${TOKEN_ENDPOINT_AUTH_METHOD_LABELS[client.tokenEndpointAuthMethod]}, not with a secret. Change its client authentication to a secret method first.`,
    extra: { clientId: client.clientId, tokenEndpointAuthMethod: client.tokenEndpointAuthMethod },
  };
}

const brief = (secret: Pick<SecretMeta, 'id' | 'hint'>) => ({ id: secret.id, hint: secret.hint });

/**
 * A new secret for `client`. Up to SECRETS_MAX are kept; when they are all taken, the oldest
 * retired or expired one is dropped to make room, and with none of those the answer is 409
 * (retire one first). `retireOthersAfterHours` sets the end of the overlap for every other
 * active secret (never later than an end already set); without it they stay as they are.
 */
export function planRotation(client: Client, now: string, input: RotateSecretInput, secret: StoredSecret): SecretDecision {
  if (!usesClientSecret(client.tokenEndpointAuthMethod)) return { ok: false, refusal: noSecrets(client) };
  const needed = client.secrets.length + 1 - SECRETS_MAX;
  const droppable = client.secrets.filter((s) => s.status !== 'active').sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  if (needed > droppable.length) {
    return {
      ok: false,
      refusal: {
        status: 409,
        type: PROBLEM.secretLimit,
        title: 'Too many secrets',
        detail: `A client holds at most ${SECRETS_MAX} secrets and ${client.name} has ${client.secrets.length} that still work. Retire one (DELETE …/secrets/{secretId}) before adding another.`,
        extra: { clientId: client.clientId, limit: SECRETS_MAX },
      },
    };
  }
  const drop = needed > 0 ? droppable.slice(0, needed) : [];
  const retireAt = input.retireOthersAfterHours === undefined ? null : new Date(Date.parse(now) + input.retireOthersAfterHours * HOUR_MS).toISOString();
  const retire = retireAt === null ? [] : client.secrets.filter((s) => s.status === 'active').map((s) => ({ id: s.id, at: s.retiresAt !== null && s.retiresAt < retireAt ? s.retiresAt : retireAt }));
  return {
    ok: true,
    plan: {
      add: secret,
      retire,
      drop: drop.map((s) => s.id),
      action: 'client.secret.create',
      audit: {
        secret: { ...brief(secret), expiresAt: secret.expiresAt },
        retiring: retire.map(({ id, at }) => ({ ...brief(client.secrets.find((s) => s.id === id)!), retiresAt: at })),
        dropped: drop.map(brief),
      },
    },
  };
}

/**
 * Retires one secret now. Refused (409) when no other secret keeps working: every other one is
 * expired, retired, or already set to retire at the end of an overlap. A secret that no longer
 * works is left as it is (plan null: nothing to write).
 */
export function planRetirement(client: Client, now: string, secretId: string): SecretDecision {
  const secret = client.secrets.find((s) => s.id === secretId);
  if (!secret) {
    return { ok: false, refusal: { status: 404, type: PROBLEM.notFound, title: 'Secret not found', detail: `${client.name} has no secret with the id ${secretId}.`, extra: { clientId: client.clientId } } };
  }
  if (secret.status !== 'active') return { ok: true, plan: null };
  const keepsWorking = client.secrets.some((s) => s.id !== secretId && s.status === 'active' && s.retiresAt === null);
  if (!keepsWorking) {
    return {
      ok: false,
      refusal: {
        status: 409,
        type: PROBLEM.lastActiveSecret,
        title: 'Last working secret',
        detail: `This is the last secret of ${client.name} that keeps working: retiring it would stop the client at once. Rotate first (POST …/secrets), then retire this one.`,
        extra: { clientId: client.clientId, secretId },
      },
    };
  }
  return { ok: true, plan: { add: null, retire: [{ id: secretId, at: now }], drop: [], action: 'client.secret.retire', audit: { secret: { ...brief(secret), retiresAt: now } } } };
}
