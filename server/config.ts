// The server's configuration from environment variables (names fixed by issue 2; the README
// lists them). Pure: the environment, platform and home folder are arguments.
import path from 'node:path';

/** Short on purpose: a shared workstation should not keep someone else signed in (issue 9, item 3). */
export const DEFAULT_SESSION_IDLE_MINUTES = 30;
export const DEFAULT_SESSION_MAX_HOURS = 8;

export interface ServerConfig {
  port: number;
  host: string;
  issuer: string | undefined;
  dataDir: string;
  /** THETASECURE_DATABASE_URL (postgres://…): PostgreSQL instead of the SQLite file in dataDir. */
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  helpdeskPassword: string | undefined;
  adminClientSecret: string | undefined;
  syncClientSecret: string | undefined;
  /** Browser session at the sign-in page: idle minutes and absolute hours (issue 9, item 3). */
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** THETASECURE_SECRET_MAX_DAYS: the longest a client secret may live (1–730 days), or null for no limit. */
  secretMaxDays: number | null;
}

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; errors: string[] };

/** The per-user data folder of the platform (XDG on Linux). */
export function userDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === 'win32') return env.APPDATA || path.join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support');
  return env.XDG_DATA_HOME || path.join(home, '.local', 'share');
}

/**
 * Client secrets are stored as plain SHA-256 hashes (fast, so the token endpoint stays fast). That
 * is sound only for high-entropy values: a short configured secret could be recovered from the
 * database file by guessing. Generated secrets have 256 bits; a configured one needs at least
 * 32 characters. The message never repeats the value.
 */
export const MIN_CONFIGURED_SECRET_LENGTH = 32;

export function configuredSecretProblem(name: string, value: string | undefined): string | null {
  if (value === undefined || value.length >= MIN_CONFIGURED_SECRET_LENGTH) return null;
  return `${name} must be at least ${MIN_CONFIGURED_SECRET_LENGTH} characters long: client secrets are stored as plain SHA-256 hashes, which is safe only for long random values. Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function readServerConfig(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): ConfigResult {
  const errors: string[] = [];
  const portText = nonEmpty(env.THETASECURE_PORT) ?? '4000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) errors.push(`THETASECURE_PORT must be a port number (0-65535), not "${portText}".`);

  const issuer = nonEmpty(env.THETASECURE_ISSUER);
  if (issuer !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(issuer);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
      errors.push(`THETASECURE_ISSUER must be an http(s) URL without query or fragment, not "${issuer}".`);
    }
  }
  for (const name of ['THETASECURE_ADMIN_CLIENT_SECRET', 'THETASECURE_SYNC_CLIENT_SECRET'] as const) {
    const problem = configuredSecretProblem(name, nonEmpty(env[name]));
    if (problem) errors.push(problem);
  }
  for (const name of ['THETASECURE_ADMIN_PASSWORD', 'THETASECURE_HELPDESK_PASSWORD'] as const) {
    const value = nonEmpty(env[name]);
    if (value !== undefined && value.length < 8) errors.push(`${name} must be at least 8 characters long.`);
  }
  const positive = (name: string, fallback: number): number => {
    const text = nonEmpty(env[name]);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0)) errors.push(`${name} must be a positive number, not "${text}".`);
    return value;
  };
  const sessionIdleMinutes = positive('THETASECURE_SESSION_IDLE_MINUTES', DEFAULT_SESSION_IDLE_MINUTES);
  const sessionMaxHours = positive('THETASECURE_SESSION_MAX_HOURS', DEFAULT_SESSION_MAX_HOURS);
  const maxDaysText = nonEmpty(env.THETASECURE_SECRET_MAX_DAYS);
  const secretMaxDays = maxDaysText === undefined ? null : Number(maxDaysText);
  if (maxDaysText !== undefined && (!/^\d+$/.test(maxDaysText) || secretMaxDays! < 1 || secretMaxDays! > 730)) {
    errors.push(`THETASECURE_SECRET_MAX_DAYS must be a whole number of days from 1 to 730, not "${maxDaysText}".`);
  }
  const databaseUrl = nonEmpty(env.THETASECURE_DATABASE_URL);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/[^\s]+$/.test(databaseUrl)) {
    // The value may hold a password: the message does not repeat it.
    errors.push('THETASECURE_DATABASE_URL must be a PostgreSQL URL: postgres://user:password@host:5432/database (unset: the SQLite file in the data folder).');
  }
  if (errors.length) return { ok: false, errors };

  return {
    ok: true,
    config: {
      port,
      host: nonEmpty(env.THETASECURE_HOST) ?? '127.0.0.1',
      issuer,
      dataDir: nonEmpty(env.THETASECURE_DATA_DIR) ?? path.join(userDataDir(env, platform, home), 'thetasecure-server'),
      databaseUrl,
      adminPassword: nonEmpty(env.THETASECURE_ADMIN_PASSWORD),
      helpdeskPassword: nonEmpty(env.THETASECURE_HELPDESK_PASSWORD),
      adminClientSecret: nonEmpty(env.THETASECURE_ADMIN_CLIENT_SECRET),
      syncClientSecret: nonEmpty(env.THETASECURE_SYNC_CLIENT_SECRET),
      sessionIdleMinutes,
      sessionMaxHours,
      secretMaxDays,
    },
  };
}
