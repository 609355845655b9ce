// With no Secret Service at all (a child process without a D-Bus session, so the real keytar
// cannot reach one), the app still signs in through the real login page and works, but says it
// is not remembered, keeps no offline copy, and writes no cache file. The browser is replaced by
// a scripted HTTP login through the real login page.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app.ts';
import type { RunningServer } from '../../server/app.ts';
import { TEST_CREDENTIALS } from '../../server/testing/test-server.ts';
import { makeTempDir } from './testing/temp-dir.ts';

let server: RunningServer;
let serverDir: Awaited<ReturnType<typeof makeTempDir>>;
let appDir: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  serverDir = await makeTempDir('nokeychain-server');
  appDir = await makeTempDir('nokeychain-app');
  server = await startServer({ port: 0, dataDir: serverDir.dir, ...TEST_CREDENTIALS, quiet: true });
});
afterAll(async () => {
  await server.close();
  await serverDir.remove();
  await appDir.remove();
});

function runWithoutDbus(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // No session bus, and no X display through which libsecret could autolaunch one.
  delete childEnv.DBUS_SESSION_BUS_ADDRESS;
  delete childEnv.DISPLAY;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: childEnv, cwd: path.resolve(import.meta.dirname, '../..') });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('no OS keychain (child process without D-Bus; browser replaced by a scripted HTTP login)', () => {
  it('signs in and works in memory, says remembered:false / keychainAvailable:false, writes no cache', async () => {
    const run = await runWithoutDbus(path.join(import.meta.dirname, 'testing/no-keychain-journey.ts'), {
      TEST_ISSUER: server.issuer,
      TEST_APP_DIR: appDir.dir,
      TEST_ADMIN_PASSWORD: TEST_CREDENTIALS.adminPassword,
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      probe: { available: boolean; reason: string; ms: number };
      atStart: { keychainAvailable: boolean; status: string };
      signedIn: { status: string; remembered: boolean; keychainAvailable: boolean; canWrite: boolean };
      list: { complete: boolean; count: number; persisted: boolean };
      createdKind: string;
      files: string[];
      logEvents: string[];
    };
    expect(report.probe.available).toBe(false);
    expect(report.probe.reason).toMatch(/keychain is not available/i);
    // keytar fails fast without a Secret Service; it must not stall start-up.
    expect(report.probe.ms).toBeLessThan(3_000);
    expect(report.atStart).toMatchObject({ status: 'signed-out', keychainAvailable: false });
    expect(report.signedIn).toMatchObject({ status: 'signed-in', remembered: false, keychainAvailable: false, canWrite: true });
    expect(report.list).toEqual({ complete: true, count: 5, persisted: false });
    expect(report.createdKind).toBe('sync_connector');
    // Nothing on disk without a key to encrypt it: no replica folder at all.
    expect(report.files).not.toContain('replicas');
    expect(report.logEvents).toContain('keychain.unavailable');
  });
});
