import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ok } from '../../shared/contract.ts';
import { createApiClient } from './api.ts';

// Network failures as they really happen on 127.0.0.1: a port nobody listens on, and a server
// that accepts the connection and never answers. Problem documents from the real server are
// covered in app-against-real-server.test.ts.
const auth = { accessToken: async () => ok('token-not-used'), refreshAfterUnauthorized: async () => false };

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('admin API client: unreachable and silent servers', () => {
  it('nothing listening → offline, and connectivity is told', async () => {
    const port = await closedPort();
    const seen: boolean[] = [];
    const api = createApiClient({ issuer: () => `http://127.0.0.1:${port}`, auth, onReachability: (r) => seen.push(r) });
    const result = await api.changes(0, 1000);
    expect(result).toMatchObject({ ok: false, error: { code: 'offline' } });
    if (!result.ok) expect(result.error.message).toContain(`127.0.0.1:${port}`);
    expect(seen).toEqual([false]);
    expect(await api.health()).toBe(false);
  });

  it('a server that never answers → timeout after the configured time', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const api = createApiClient({ issuer: () => `http://127.0.0.1:${port}`, auth, timeoutMs: 300 });
      const result = await api.getClient('tsc_x');
      expect(result).toMatchObject({ ok: false, error: { code: 'timeout' } });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('no issuer configured → unauthenticated with a hint to set it, no request made', async () => {
    const api = createApiClient({ issuer: () => '', auth });
    expect(await api.listScopes()).toMatchObject({ ok: false, error: { code: 'unauthenticated', message: expect.stringContaining('issuer URL') } });
  });
});

describe('admin API client: the event stream against a silent server', () => {
  it('an event stream whose server never answers the request times out like any call, and an aborted one says cancelled', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const api = createApiClient({ issuer: () => `http://127.0.0.1:${port}`, auth, timeoutMs: 300 });
      expect(await api.openEvents(null, new AbortController().signal)).toMatchObject({ ok: false, error: { code: 'timeout' } });
      const abort = new AbortController();
      const pending = api.openEvents(null, abort.signal);
      setTimeout(() => abort.abort(), 50);
      expect(await pending).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
