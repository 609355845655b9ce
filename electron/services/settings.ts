// The app's settings: which ThetaSecure server to sign in to, how long a copied secret stays on
// the clipboard, how long the offline copy of the client list is kept. Persisted in the store.
import type { Result, Settings } from '../../shared/contract.ts';
import { SettingsPatchSchema, SettingsSchema, fail, ok } from '../../shared/contract.ts';
import { zodFieldErrors } from '../../shared/client.ts';
import type { KeyValueStore } from './effects.ts';

export const DEFAULT_CLIPBOARD_CLEAR_SECONDS = 30;
export const DEFAULT_CACHE_TTL_DAYS = 7;

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Why `value` cannot be an issuer URL, or null. https everywhere; plain http only to this
 * machine (a reference server on loopback), where nothing crosses a network.
 */
export function issuerUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Issuer URL must be an absolute URL such as https://login.example.com.';
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) return 'Issuer URL must use https:// (plain http:// is allowed only for 127.0.0.1, [::1] or localhost).';
  } else if (url.protocol !== 'https:') {
    return `Issuer URL must use https://, not ${url.protocol}//.`;
  }
  if (url.username || url.password) return 'Issuer URL must not contain a user name or password.';
  if (url.search || value.includes('?')) return 'Issuer URL must not contain a query (?…).';
  if (url.hash || value.includes('#')) return 'Issuer URL must not contain a fragment (#…).';
  return null;
}

/** The issuer as the server will name it: no trailing slash on a bare origin. */
export function normalizeIssuerUrl(value: string): string {
  const url = new URL(value.trim());
  const href = url.href;
  return url.pathname === '/' ? href.slice(0, -1) : href;
}

export interface SettingsService {
  get(): Settings;
  /** Validates and stores the changed fields; nothing is stored when any field is bad. */
  set(patch: unknown): Result<Settings>;
}

export function createSettingsService(options: { store: KeyValueStore; defaults?: { issuerUrl?: string } }): SettingsService {
  const { store } = options;
  const defaultIssuer = options.defaults?.issuerUrl && !issuerUrlProblem(options.defaults.issuerUrl) ? normalizeIssuerUrl(options.defaults.issuerUrl) : '';

  const get = (): Settings => {
    // A hand-edited or older file: a value that does not fit falls back to its default.
    const stored = SettingsSchema.partial().safeParse({
      issuerUrl: store.get('issuerUrl'),
      clipboardClearSeconds: store.get('clipboardClearSeconds'),
      cacheTtlDays: store.get('cacheTtlDays'),
    });
    const value = stored.success ? stored.data : {};
    const issuerUrl = typeof value.issuerUrl === 'string' && value.issuerUrl && !issuerUrlProblem(value.issuerUrl) ? value.issuerUrl : defaultIssuer;
    return {
      issuerUrl,
      clipboardClearSeconds: value.clipboardClearSeconds ?? DEFAULT_CLIPBOARD_CLEAR_SECONDS,
      cacheTtlDays: value.cacheTtlDays ?? DEFAULT_CACHE_TTL_DAYS,
    };
  };

  const set = (patch: unknown): Result<Settings> => {
    const parsed = SettingsPatchSchema.safeParse(patch ?? {});
    if (!parsed.success) {
      const fields = zodFieldErrors(parsed.error);
      return fail('validation', fields.map((f) => f.message).join(' '), fields);
    }
    const changes = parsed.data;
    let issuerUrl: string | undefined;
    if (changes.issuerUrl !== undefined) {
      const problem = issuerUrlProblem(changes.issuerUrl);
      if (problem) return fail('validation', problem, [{ field: 'issuerUrl', message: problem }]);
      issuerUrl = normalizeIssuerUrl(changes.issuerUrl);
    }
    if (issuerUrl !== undefined) store.set('issuerUrl', issuerUrl);
    if (changes.clipboardClearSeconds !== undefined) store.set('clipboardClearSeconds', changes.clipboardClearSeconds);
    if (changes.cacheTtlDays !== undefined) store.set('cacheTtlDays', changes.cacheTtlDays);
    return ok(get());
  };

  return { get, set };
}
