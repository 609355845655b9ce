// `npm test`: type-checks, lints and builds the app (each counted as one check), runs every test
// layer (Vitest, Playwright in serve mode, the Electron suite) and ends with one line
// "N passed, N failed, N skipped".
//
// The tests use a real Secret Service and a real X clipboard. When they are not already there,
// this script re-runs itself inside `dbus-run-session` with gnome-keyring unlocked by a random
// password, and inside `xvfb-run`, so `npm test` is the same command on a laptop and in CI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { wrapInSessionIfNeeded } from './keyring-session.ts';

const root = path.resolve(import.meta.dirname, '..');
const results = path.join(root, 'test-results');

interface Tally { name: string; passed: number; failed: number; skipped: number; note?: string }

function run(command: string, args: string[], env: Record<string, string> = {}): number {
  console.log(`\n[test] ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function vitestTally(status: number): Tally {
  const report = readJson(path.join(results, 'vitest.json')) as
    | { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number; numFailedTestSuites: number }
    | null;
  if (!report) return { name: 'vitest', passed: 0, failed: 1, skipped: 0, note: `no report (exit ${status})` };
  // A file that fails to load has no failed test but a failed suite: count it, or it would vanish.
  const failed = report.numFailedTests + (report.numFailedTests === 0 && report.numFailedTestSuites > 0 ? report.numFailedTestSuites : 0);
  const tally = { name: 'vitest', passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests };
  if (status !== 0 && tally.failed === 0) return { ...tally, failed: 1, note: `exit ${status} without a failed test` };
  return tally;
}

function playwrightTally(name: string, file: string, status: number): Tally {
  const report = readJson(file) as { stats?: { expected: number; unexpected: number; flaky: number; skipped: number }; errors?: unknown[] } | null;
  if (!report?.stats) return { name, passed: 0, failed: 1, skipped: 0, note: `no report (exit ${status})` };
  const { expected, unexpected, flaky, skipped } = report.stats;
  const tally: Tally = { name, passed: expected + flaky, failed: unexpected, skipped };
  if (flaky) tally.note = `${flaky} passed only on retry`;
  const errors = report.errors?.length ?? 0;
  if (errors && tally.failed === 0) return { ...tally, failed: errors, note: `${errors} error(s) outside tests` };
  if (status !== 0 && tally.failed === 0) return { ...tally, failed: 1, note: `exit ${status} without a failed test` };
  return tally;
}

function main(): void {
  wrapInSessionIfNeeded({ script: path.join(root, 'scripts/run-tests.ts'), display: true, label: 'test' });
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  const tallies: Tally[] = [];

  // The process-boundary rules (shared/ imports no Node, Electron or DOM; the renderer no fetch)
  // live in the lint configuration: they hold only if it runs with the tests.
  for (const script of ['typecheck', 'lint', 'build']) {
    const status = run('npm', ['run', script]);
    tallies.push({ name: script, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, skipped: 0, ...(status === 0 ? {} : { note: `npm run ${script} exited ${status}` }) });
  }

  const vitest = run(path.join(root, 'node_modules/.bin/vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(results, 'vitest.json')}`]);
  tallies.push(vitestTally(vitest));

  const playwright = path.join(root, 'node_modules/.bin/playwright');
  const e2eReport = path.join(results, 'e2e.json');
  const e2e = run(playwright, ['test', '-c', 'e2e/playwright.config.ts'], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport });
  tallies.push(playwrightTally('e2e (serve mode, Chromium)', e2eReport, e2e));

  const electronConfig = path.join(root, 'e2e/electron/playwright.config.ts');
  if (existsSync(electronConfig)) {
    const electronReport = path.join(results, 'electron.json');
    const electron = run(playwright, ['test', '-c', electronConfig], { PLAYWRIGHT_JSON_OUTPUT_NAME: electronReport });
    tallies.push(playwrightTally('e2e (Electron)', electronReport, electron));
  }

  console.log('\n[test] summary');
  for (const t of tallies) {
    console.log(`  ${t.name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped${t.note ? ` (${t.note})` : ''}`);
  }
  const sum = (key: 'passed' | 'failed' | 'skipped') => tallies.reduce((n, t) => n + t[key], 0);
  console.log(`${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
  process.exit(sum('failed') > 0 ? 1 : 0);
}

main();
