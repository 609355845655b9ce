// The secret-lifecycle side of the client list: what "Last used" shows and sorts by, and what
// the two lifecycle filters ("Secret expires within 14 days", "Unused for 90 days") mean. The
// facts a filter needs are taken from a client once per version of it (`lifecycleFacts`, kept
// in the index's entry), so a filter or a count is a comparison of numbers per client, never a
// date parse: counting 100,000 clients is one pass of well under a millisecond per thousand.
import type { Client, SecretMeta } from '../../../shared/client.ts';

export const EXPIRING_WITHIN_DAYS = 14;
export const UNUSED_FOR_DAYS = 90;
const DAY_MS = 86_400_000;

/** The two lifecycle filters as thresholds (epoch ms) taken from "now" when they are switched on; null = off. */
export interface LifecycleFilters {
  /** Keep clients whose secrets all stop working before this time (or already have). */
  secretsEndBefore: number | null;
  /** Keep clients with no token obtained since this time (by their last use, or creation when never used). */
  idleSince: number | null;
}

export const NO_LIFECYCLE_FILTERS: LifecycleFilters = { secretsEndBefore: null, idleSince: null };

export function lifecycleThresholds(now: number, on: { expiring: boolean; unused: boolean }): LifecycleFilters {
  return {
    secretsEndBefore: on.expiring ? now + EXPIRING_WITHIN_DAYS * DAY_MS : null,
    idleSince: on.unused ? now - UNUSED_FOR_DAYS * DAY_MS : null,
  };
}

/** What the column and the filters read from one client, computed once per version of it. */
export interface LifecycleFacts {
  /** When the client last obtained a token (epoch ms); -Infinity when never, so "Never" sorts as the oldest. */
  readonly lastUsedMs: number;
  /** Since when the client has been idle: its last use, or its creation when never used. */
  readonly idleFromMs: number;
  /**
   * When the last of its usable secrets stops working (epoch ms): the latest end among secrets
   * not retired, each ending at the earlier of its expiry and its scheduled retirement.
   * +Infinity when one of them never ends, or the client has no secrets at all (public and
   * private_key_jwt clients have nothing to expire); -Infinity when it has secrets and none
   * works any more.
   */
  readonly secretsEndMs: number;
}

function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** When one secret stops working, or +Infinity; -Infinity for a retired one. */
export function secretEndMs(secret: Pick<SecretMeta, 'status' | 'expiresAt' | 'retiresAt'>): number {
  if (secret.status === 'retired') return -Infinity;
  const expires = parseTime(secret.expiresAt);
  const retires = parseTime(secret.retiresAt);
  if (secret.status === 'expired') return Math.min(expires ?? -Infinity, retires ?? Infinity);
  return Math.min(expires ?? Infinity, retires ?? Infinity);
}

export function lifecycleFacts(client: Pick<Client, 'lastUsedAt' | 'createdAt' | 'secrets'>): LifecycleFacts {
  const lastUsed = parseTime(client.lastUsedAt);
  const created = parseTime(client.createdAt) ?? 0;
  let secretsEndMs = client.secrets.length ? -Infinity : Infinity;
  for (const secret of client.secrets) secretsEndMs = Math.max(secretsEndMs, secretEndMs(secret));
  return { lastUsedMs: lastUsed ?? -Infinity, idleFromMs: lastUsed ?? created, secretsEndMs };
}

export function passesLifecycle(facts: LifecycleFacts, filters: LifecycleFilters): boolean {
  if (filters.secretsEndBefore !== null && !(facts.secretsEndMs < filters.secretsEndBefore)) return false;
  if (filters.idleSince !== null && !(facts.idleFromMs < filters.idleSince)) return false;
  return true;
}

export function hasLifecycleFilter(filters: LifecycleFilters): boolean {
  return filters.secretsEndBefore !== null || filters.idleSince !== null;
}

export interface LifecycleCounts {
  /** Clients whose secrets all stop working within 14 days of `now` (or already have). */
  expiring: number;
  /** Clients that obtained no token in the 90 days before `now`. */
  unused: number;
}

/** Both counts in one pass over the facts. */
export function countLifecycle(facts: readonly LifecycleFacts[], now: number): LifecycleCounts {
  const secretsEndBefore = now + EXPIRING_WITHIN_DAYS * DAY_MS;
  const idleSince = now - UNUSED_FOR_DAYS * DAY_MS;
  let expiring = 0;
  let unused = 0;
  for (let i = 0; i < facts.length; i++) {
    const f = facts[i]!;
    if (f.secretsEndMs < secretsEndBefore) expiring++;
    if (f.idleFromMs < idleSince) unused++;
  }
  return { expiring, unused };
}
