// The header every benchmark prints: when, on what machine and load, which software and which
// commit, so a committed result says what it measured.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The commit measured, and whether the given folders differ from it. */
export function codeVersion(paths: readonly string[]): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--', ...paths) ? `commit ${commit} with uncommitted changes in ${paths.join(' or ')}` : `commit ${commit}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export function machineLines(software: string, paths: readonly string[]): string[] {
  const cpus = os.cpus();
  return [
    `date:     ${new Date().toISOString()}`,
    `machine:  ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`,
    `software: ${software}`,
    `load:     1/5/15-minute load average at start ${os.loadavg().map((load) => load.toFixed(2)).join(' / ')}`,
    `code:     ${codeVersion(paths)}`,
  ];
}
