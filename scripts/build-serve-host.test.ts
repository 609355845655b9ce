// The bundled serve-mode host (dist/electron/serve-main.js) is what `npm run serve` runs: plain
// Node, no TypeScript loader. Built here into a folder two levels below the repository root, as
// dist/electron is, since the host finds the renderer and its bridge's source from there.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVE_HOST_NODE_FLAGS, SERVE_OUTFILE, buildElectron, repoRoot } from './build-electron.ts';

let outDir: string;
let host: ChildProcess | null = null;
let address: URL;

function get(url: URL, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

beforeAll(async () => {
  outDir = path.join(repoRoot, 'dist', `serve-build-test-${process.pid}`);
  const { serve } = await buildElectron({ outDir });
  const userData = await fs.mkdtemp(path.join(os.tmpdir(), 'thetasecure-serve-bundle-'));
  host = spawn(process.execPath, [...SERVE_HOST_NODE_FLAGS, serve], { env: { ...process.env, THETASECURE_ISSUER: 'http://127.0.0.1:9', THETASECURE_USER_DATA_DIR: userData, THETASECURE_SERVE_PORT: '0', DISPLAY: '', WAYLAND_DISPLAY: '', NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  address = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bundled host printed no address within 20 s: ${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]!));
      }
    };
    host!.stdout!.on('data', read);
    host!.stderr!.on('data', read);
    host!.once('exit', (code) => reject(new Error(`the bundled host exited (${code}): ${output}`)));
  });
}, 60_000);

afterAll(async () => {
  host?.kill('SIGTERM');
  await fs.rm(outDir, { recursive: true, force: true });
});

describe('the bundled serve-mode host (npm run serve)', () => {
  it('is started by `npm run serve` with the Node flags the benchmarks measure it with', async () => {
    const manifest = JSON.parse(await fs.readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts.serve).toContain(`node ${[...SERVE_HOST_NODE_FLAGS, path.relative(repoRoot, SERVE_OUTFILE)].join(' ')}`);
  });

  it('starts under plain Node, serves the app with its bridge, and answers a contract call', async () => {
    const exchange = await get(address);
    const cookie = (exchange.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^thetasecure_serve_\d+=/);
    const origin = `${address.protocol}//${address.host}`;
    const bridge = await get(new URL('/serve-bridge.js', origin), { cookie });
    expect(bridge.status).toBe(200);
    expect(bridge.body).toContain('clients:snapshot');
    const settings = await get(new URL('/contract/settings%3Aget', origin), { cookie, origin, 'content-type': 'application/json' }, 'POST', '{}');
    expect(settings.status).toBe(200);
    expect(JSON.parse(settings.body)).toMatchObject({ ok: true, value: expect.objectContaining({ clipboardClearSeconds: expect.any(Number) }) });
  });
});
