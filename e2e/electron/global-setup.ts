// Runs once before the Electron suite. Without the Electron binary there is nothing to prepare
// (every test skips itself). With it: the app must have been built, and on a Linux machine
// without a display an Xvfb server is started for the run (and stopped after it).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findElectronBinary } from '../../electron/electron-binary.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const BUILT = ['dist/electron/main.js', 'dist/electron/preload.cjs', 'dist/renderer/index.html'];

function startXvfb(): Promise<{ display: string; server: ChildProcess }> {
  return new Promise((resolve, reject) => {
    // -displayfd: Xvfb picks a free display number and writes it to fd 3 once it is ready.
    const server = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1440x900x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.once('error', (error) => reject(new Error(`Could not start Xvfb for the Electron suite: ${error.message}. Install xvfb or run with a DISPLAY.`)));
    server.stdio[3]?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve({ display: `:${output.trim()}`, server });
    });
    server.once('exit', (code) => reject(new Error(`Xvfb exited (${code}) before it was ready.`)));
  });
}

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  if (!findElectronBinary().found) return undefined;

  const missing = BUILT.filter((file) => !existsSync(path.join(root, file)));
  if (missing.length > 0) {
    throw new Error(`The Electron suite runs the built app; missing ${missing.join(', ')}. Run \`npm run build\` first.`);
  }
  const main = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main?: string }).main;
  if (main !== 'dist/electron/main.js') {
    throw new Error(`package.json "main" is ${JSON.stringify(main)}; the Electron suite starts the app from dist/electron/main.js.`);
  }

  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    const { display, server } = await startXvfb();
    // Workers start after global setup and inherit this environment.
    process.env.DISPLAY = display;
    return async () => {
      server.kill('SIGTERM');
    };
  }
  return undefined;
}
