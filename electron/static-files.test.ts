import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, resolveStaticFile } from './static-files.ts';

let dir: string;
let root: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'thetasecure-static-'));
  root = path.join(dir, 'renderer');
  await fs.mkdir(path.join(root, 'assets'), { recursive: true });
  await fs.writeFile(path.join(root, 'index.html'), '<!doctype html>');
  await fs.writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  await fs.writeFile(path.join(root, '.env'), 'SECRET=1');
  await fs.writeFile(path.join(dir, 'outside.txt'), 'not part of the build');
  await fs.symlink(path.join(dir, 'outside.txt'), path.join(root, 'escape.txt'));
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('resolveStaticFile (the renderer build, for app:// and serve mode)', () => {
  it('serves index.html for / and files inside the build', async () => {
    expect(await resolveStaticFile(root, '/')).toBe(await fs.realpath(path.join(root, 'index.html')));
    expect(await resolveStaticFile(root, '/assets/app.js')).toBe(await fs.realpath(path.join(root, 'assets', 'app.js')));
  });

  it('never resolves outside the build folder, hidden files, folders or missing files', async () => {
    for (const attempt of ['/../outside.txt', '/assets/../../outside.txt', '/%2e%2e/outside.txt', '/..%2foutside.txt', '/escape.txt', '/.env', '/assets', '/missing.js', '/%E0%A4%A', '/a%00b', '/..\\outside.txt']) {
      expect(await resolveStaticFile(root, attempt), attempt).toBeNull();
    }
  });

  it('names the content types the renderer build uses', () => {
    expect(contentTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('a.woff2')).toBe('font/woff2');
    expect(contentTypeFor('a.unknown')).toBe('application/octet-stream');
  });
});
