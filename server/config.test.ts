// Configuration from THETASECURE_* variables: defaults, the per-platform data folder, and clear
// errors naming the variable.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readServerConfig } from './config.ts';

describe('readServerConfig', () => {
  it('has the documented defaults', () => {
    const result = readServerConfig({}, 'linux', '/home/ada');
    expect(result).toEqual({
      ok: true,
      config: {
        port: 4000,
        host: '127.0.0.1',
        issuer: undefined,
        dataDir: path.join('/home/ada', '.local', 'share', 'thetasecure-server'),
        adminPassword: undefined,
        helpdeskPassword: undefined,
        adminClientSecret: undefined,
        syncClientSecret: undefined,
        sessionIdleMinutes: 30,
        sessionMaxHours: 8,
        secretMaxDays: null,
      },
    });
  });

  it.each([
    ['linux', { XDG_DATA_HOME: '/data/xdg' }, path.join('/data/xdg', 'thetasecure-server')],
    ['darwin', {}, path.join('/home/ada', 'Library', 'Application Support', 'thetasecure-server')],
    ['win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, path.join('C:\\Users\\ada\\AppData\\Roaming', 'thetasecure-server')],
  ] as const)('puts the data folder in the user data directory on %s', (platform, env, expected) => {
    const result = readServerConfig(env, platform, '/home/ada');
    expect(result.ok && result.config.dataDir).toBe(expected);
  });

  it('reads every variable', () => {
    const result = readServerConfig(
      {
        THETASECURE_PORT: '0',
        THETASECURE_HOST: '::1',
        THETASECURE_ISSUER: 'https://id.example.com',
        THETASECURE_DATA_DIR: '/srv/ts',
        THETASECURE_ADMIN_PASSWORD: 'admin-password',
        THETASECURE_HELPDESK_PASSWORD: 'helpdesk-password',
        THETASECURE_ADMIN_CLIENT_SECRET: 'a'.repeat(43),
        THETASECURE_SYNC_CLIENT_SECRET: 'b'.repeat(43),
        THETASECURE_SESSION_IDLE_MINUTES: '15',
        THETASECURE_SESSION_MAX_HOURS: '2.5',
        THETASECURE_SECRET_MAX_DAYS: '90',
      },
      'linux',
      '/home/ada',
    );
    expect(result).toEqual({
      ok: true,
      config: {
        port: 0,
        host: '::1',
        issuer: 'https://id.example.com',
        dataDir: '/srv/ts',
        adminPassword: 'admin-password',
        helpdeskPassword: 'helpdesk-password',
        adminClientSecret: 'a'.repeat(43),
        syncClientSecret: 'b'.repeat(43),
        sessionIdleMinutes: 15,
        sessionMaxHours: 2.5,
        secretMaxDays: 90,
      },
    });
  });

  it('names each bad variable', () => {
    const result = readServerConfig(
      { THETASECURE_PORT: '80000', THETASECURE_ISSUER: 'ftp://x', THETASECURE_ADMIN_PASSWORD: 'short', THETASECURE_SYNC_CLIENT_SECRET: 'tiny', THETASECURE_SESSION_IDLE_MINUTES: '0', THETASECURE_SESSION_MAX_HOURS: 'forever', THETASECURE_SECRET_MAX_DAYS: '731' },
      'linux',
      '/home/ada',
    );
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    for (const name of ['THETASECURE_PORT', 'THETASECURE_ISSUER', 'THETASECURE_ADMIN_PASSWORD', 'THETASECURE_SYNC_CLIENT_SECRET', 'THETASECURE_SESSION_IDLE_MINUTES', 'THETASECURE_SESSION_MAX_HOURS', 'THETASECURE_SECRET_MAX_DAYS']) {
      expect(errors.some((error) => error.startsWith(name))).toBe(true);
    }
    // A rejected value that may be a secret is not echoed back.
    expect(errors.join(' ')).not.toContain('tiny');
    expect(errors.join(' ')).not.toContain('short');
  });

  // Issue 9 item 10: secrets are stored as plain SHA-256, sound only for high-entropy values.
  it.each(['THETASECURE_ADMIN_CLIENT_SECRET', 'THETASECURE_SYNC_CLIENT_SECRET'])('refuses a %s shorter than 32 characters and says why', (name) => {
    const value = 'sixteen-chars-ok-but-31-chars-x';
    expect(value).toHaveLength(31);
    const result = readServerConfig({ [name]: value }, 'linux', '/home/ada');
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.errors.join(' ');
    expect(message).toContain(`${name} must be at least 32 characters`);
    expect(message).toContain('SHA-256');
    expect(message).not.toContain(value);
    expect(readServerConfig({ [name]: `${value}y` }, 'linux', '/home/ada').ok).toBe(true);
  });
});
