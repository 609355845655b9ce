import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_METHODS } from '../../shared/contract.ts';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.ts';
import { injectBridge, startServeMode } from './serve-mode.ts';
import type { ServeMode } from './serve-mode.ts';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request, so the test controls Host, Origin and Cookie the way an attacker could. */
function request(port: number, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: { host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

let tempDir: string;
let serve: ServeMode;
let cookie: string;
let origin: string;
/** An issuer on loopback where nothing listens: sign-in fails fast, like a server that is down. */
let deadIssuer: string;

async function unusedLoopbackPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  tempDir = await fs.mkdtemp(path.join(os.tmpdir(), 'thetasecure-serve-'));
  const rendererDir = path.join(tempDir, 'renderer');
  await fs.mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await fs.writeFile(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>ThetaSecure Admin</title><script type="module" crossorigin src="./assets/app.js"></script></head><body><div id="root"></div></body></html>',
  );
  await fs.writeFile(path.join(rendererDir, 'assets', 'app.js'), 'document.title = "loaded";');
  deadIssuer = `http://127.0.0.1:${await unusedLoopbackPort()}`;
  serve = await startServeMode({ port: 0, issuer: deadIssuer, userDataDir: path.join(tempDir, 'user-data'), rendererDir, quiet: true });
  origin = serve.origin;
  const token = new URL(serve.url).searchParams.get('token') ?? '';
  const exchange = await request(serve.port, { path: `/?token=${encodeURIComponent(token)}` });
  cookie = (exchange.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
});

afterAll(async () => {
  await serve?.close();
  await fs.rm(tempDir, { recursive: true, force: true });
});

const post = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  request(serve.port, {
    method: 'POST',
    path: `/contract/${encodeURIComponent(method)}`,
    headers: { cookie, origin, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('serve mode: the address and the token', () => {
  it('prints an address of the form http://127.0.0.1:<port>/?token=<token>', () => {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(serve.origin).toBe(`http://127.0.0.1:${serve.port}`);
  });

  it('listens on the port THETASECURE_SERVE_PORT names, and refuses a value that is not a port, naming the variable', async () => {
    const saved = process.env.THETASECURE_SERVE_PORT;
    const fixedPort = await unusedLoopbackPort();
    const options = { issuer: 'http://127.0.0.1:9', userDataDir: path.join(tempDir, 'fixed-port-user-data'), rendererDir: path.join(tempDir, 'renderer'), quiet: true };
    try {
      process.env.THETASECURE_SERVE_PORT = String(fixedPort);
      const fixed = await startServeMode(options);
      await fixed.close();
      expect(fixed.port).toBe(fixedPort);
      expect(fixed.url.startsWith(`http://127.0.0.1:${fixedPort}/?token=`)).toBe(true);
      process.env.THETASECURE_SERVE_PORT = 'eighty';
      await expect(startServeMode(options)).rejects.toThrow(/THETASECURE_SERVE_PORT.*"eighty"/);
    } finally {
      if (saved === undefined) delete process.env.THETASECURE_SERVE_PORT;
      else process.env.THETASECURE_SERVE_PORT = saved;
    }
  });

  it('listens on 127.0.0.1 only', async () => {
    expect((serve.server.address() as AddressInfo).address).toBe('127.0.0.1');
    // Another address of this machine, if it has one, must refuse the connection.
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((entry): entry is os.NetworkInterfaceInfo => !!entry && !entry.internal)
      .map((entry) => entry.address);
    const candidates = ['::1', ...others];
    let checked = 0;
    for (const address of candidates) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = net.connect({ host: address, port: serve.port });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, `connection to ${address}:${serve.port}`).not.toBe('connected');
      checked += 1;
    }
    console.log(`serve mode refused connections on ${checked} other local address(es): ${candidates.join(', ')}`);
  });

  it('answers 401 without the token or the cookie, and for a wrong token', async () => {
    for (const pathname of ['/', '/index.html', '/assets/app.js', '/serve-bridge.js', '/events']) {
      expect((await request(serve.port, { path: pathname })).status, pathname).toBe(401);
    }
    expect((await request(serve.port, { path: '/?token=wrong' })).status).toBe(401);
    expect((await request(serve.port, { path: '/', headers: { cookie: `thetasecure_serve_${serve.port}=forged` } })).status).toBe(401);
    const noCookie = await request(serve.port, { method: 'POST', path: '/contract/session%3Aget', headers: { origin, 'content-type': 'application/json' }, body: '{}' });
    expect(noCookie.status).toBe(401);
    expect(noCookie.body).not.toContain(new URL(serve.url).searchParams.get('token'));
  });

  it('exchanges the token for an HttpOnly SameSite=Strict cookie and strips it from the address', async () => {
    const token = new URL(serve.url).searchParams.get('token') ?? '';
    const exchange = await request(serve.port, { path: `/?token=${encodeURIComponent(token)}` });
    expect(exchange.status).toBe(303);
    expect(exchange.headers.location).toBe('/');
    const setCookie = exchange.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(new RegExp(`^thetasecure_serve_${serve.port}=[A-Za-z0-9_-]{43};`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain(token);
    const page = await request(serve.port, { path: '/', headers: { cookie } });
    expect(page.status).toBe(200);
  });
});

describe('serve mode: DNS rebinding, CSRF, headers', () => {
  it('answers 403 to a Host that is not 127.0.0.1:<port> or localhost:<port>, even with the cookie', async () => {
    for (const host of ['evil.example', `evil.example:${serve.port}`, `127.0.0.1:${serve.port + 1}`, '127.0.0.1', `[::1]:${serve.port}`]) {
      expect((await request(serve.port, { path: '/', headers: { host, cookie } })).status, host).toBe(403);
    }
    expect((await request(serve.port, { path: '/', headers: { host: `localhost:${serve.port}`, cookie } })).status).toBe(200);
  });

  it('answers 403 to a POST from another origin or without an Origin, and runs nothing', async () => {
    for (const foreign of ['http://evil.example', `http://127.0.0.1:${serve.port + 1}`, `http://localhost:${serve.port}`, 'null']) {
      const reply = await post('settings:set', { clipboardClearSeconds: 99 }, { origin: foreign });
      expect(reply.status, foreign).toBe(403);
    }
    const noOrigin = await request(serve.port, { method: 'POST', path: '/contract/settings%3Aset', headers: { cookie, 'content-type': 'application/json' }, body: '{"clipboardClearSeconds":99}' });
    expect(noOrigin.status).toBe(403);
    const crossSite = await post('settings:set', { clipboardClearSeconds: 99 }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const settings = JSON.parse((await post('settings:get', {})).body) as { value: { clipboardClearSeconds: number } };
    expect(settings.value.clipboardClearSeconds).toBe(30);
  });

  it('sends the same CSP as Electron on pages and no-store on the API', async () => {
    const page = await request(serve.port, { path: '/', headers: { cookie } });
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const denied = await request(serve.port, { path: '/' });
    expect(denied.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const api = await post('session:get', {});
    expect(api.headers['cache-control']).toBe('no-store');
    expect(api.headers['content-type']).toMatch(/^application\/json/);
  });

  it('injects the bridge script before the app script and serves the build', async () => {
    const page = await request(serve.port, { path: '/', headers: { cookie } });
    expect(page.body.indexOf('<script src="/serve-bridge.js"></script>')).toBeGreaterThan(0);
    expect(page.body.indexOf('<script src="/serve-bridge.js"></script>')).toBeLessThan(page.body.indexOf('./assets/app.js'));
    const bridge = await request(serve.port, { path: '/serve-bridge.js', headers: { cookie } });
    expect(bridge.status).toBe(200);
    expect(bridge.headers['content-type']).toMatch(/^text\/javascript/);
    for (const method of CONTRACT_METHODS) expect(bridge.body, method).toContain(JSON.stringify(method));
    const asset = await request(serve.port, { path: '/assets/app.js', headers: { cookie } });
    expect(asset.body).toBe('document.title = "loaded";');
    expect((await request(serve.port, { path: '/../../etc/passwd', headers: { cookie } })).status).toBe(404);
  });

  it('puts the bridge before the first script, or at the end of <head>', () => {
    expect(injectBridge('<head><script src="a.js"></script></head>')).toMatch(/^<head><script src="\/serve-bridge.js"><\/script>\s*<script src="a.js">/);
    expect(injectBridge('<head><title>x</title></head>')).toMatch(/<script src="\/serve-bridge.js"><\/script>\n<\/head>/);
  });
});

describe('serve mode: the contract over HTTP (real services)', () => {
  it('routes every contract method: bad input → 200 with a validation result that names the field', async () => {
    for (const method of CONTRACT_METHODS) {
      const reply = await post(method, { unexpectedField: true });
      expect(reply.status, method).toBe(200);
      const result = JSON.parse(reply.body) as { ok: boolean; error?: { code: string; fields?: Array<{ field: string }> } };
      expect(result.ok, method).toBe(false);
      expect(result.error?.code, method).toBe('validation');
    }
    const named = JSON.parse((await post('settings:set', { clipboardClearSeconds: 2 })).body) as { error: { fields: Array<{ field: string }> } };
    expect(named.error.fields.map((f) => f.field)).toContain('clipboardClearSeconds');
  });

  it('answers the real services for valid input, 404 for an unknown method and 405 for GET', async () => {
    const session = JSON.parse((await post('session:get', {})).body) as { ok: boolean; value: { status: string; issuer: string } };
    expect(session).toMatchObject({ ok: true, value: { status: 'signed-out', issuer: deadIssuer } });
    const settings = JSON.parse((await post('settings:set', { clipboardClearSeconds: 45 })).body) as { ok: boolean; value: { clipboardClearSeconds: number } };
    expect(settings).toMatchObject({ ok: true, value: { clipboardClearSeconds: 45 } });
    expect((await post('clients:explode', {})).status).toBe(404);
    expect((await request(serve.port, { path: '/contract/session%3Aget', headers: { cookie } })).status).toBe(405);
    const notJson = await request(serve.port, { method: 'POST', path: '/contract/session%3Aget', headers: { cookie, origin, 'content-type': 'application/json' }, body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('streams contract events to the page over /events', async () => {
    const frames: string[] = [];
    const stream = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: serve.port, path: '/events', headers: { host: `127.0.0.1:${serve.port}`, cookie } }, resolve);
      req.on('error', reject);
    });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    stream.on('data', (chunk: Buffer) => frames.push(chunk.toString('utf8')));
    // Sign-in against a server that is down: the session goes signing-in, then back to signed-out.
    const signIn = JSON.parse((await post('session:sign-in', {})).body) as { ok: boolean; error?: { code: string } };
    expect(signIn.ok).toBe(false);
    await expect.poll(() => frames.join(''), { timeout: 5_000 }).toMatch(/event: session:changed\ndata: \{.*"status":"signing-in"/);
    stream.destroy();
  });
});
