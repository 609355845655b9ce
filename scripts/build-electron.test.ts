import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_EVENTS, CONTRACT_METHODS } from '../shared/contract.ts';
import { eventChannel, methodChannel } from '../electron/bridge-builder.ts';
import { buildElectron } from './build-electron.ts';

let outDir: string;
let built: { main: string; preload: string };

beforeAll(async () => {
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'thetasecure-build-'));
  built = await buildElectron({ outDir });
});

afterAll(async () => {
  await fs.rm(outDir, { recursive: true, force: true });
});

/**
 * Runs the built preload the way a sandboxed renderer does: CommonJS, with `require` giving only
 * 'electron'. Electron's contextBridge and ipcRenderer are recording stand-ins (no Electron binary here).
 */
async function runBuiltPreload() {
  const exposed: Record<string, unknown> = {};
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
    ipcRenderer: {
      invoke: async (channel: string, input: unknown) => {
        invoked.push([channel, input]);
        return { ok: true, value: { channel } };
      },
      on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      },
      removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.get(channel)?.delete(listener),
    },
  };
  const requested: string[] = [];
  const sandboxRequire = (name: string) => {
    requested.push(name);
    if (name === 'electron') return electron;
    throw new Error(`module not found: ${name} (a sandboxed preload can only require electron)`);
  };
  const code = await fs.readFile(built.preload, 'utf8');
  const module = { exports: {} };
  vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });
  return { exposed, invoked, listeners, requested };
}

describe('npm run build:electron (esbuild)', () => {
  it('bundles the preload as CommonJS that requires nothing but electron, and exposes only window.thetasecure', async () => {
    const { exposed, requested } = await runBuiltPreload();
    expect(requested).toEqual(['electron']);
    expect(Object.keys(exposed)).toEqual(['thetasecure']);
    const bridge = exposed.thetasecure as { methods: Record<string, unknown>; events: Record<string, unknown> };
    expect(Object.keys(bridge).sort()).toEqual(['events', 'methods']);
    expect(Object.keys(bridge.methods).sort()).toEqual([...CONTRACT_METHODS].sort());
    expect(Object.keys(bridge.events).sort()).toEqual([...CONTRACT_EVENTS].sort());
    // Only the names of the contract are in the preload, not zod and the schemas.
    expect((await fs.stat(built.preload)).size).toBeLessThan(20_000);
  });

  it('sends each method on its own channel and delivers each event without the IPC event object', async () => {
    const { exposed, invoked, listeners } = await runBuiltPreload();
    const bridge = exposed.thetasecure as {
      methods: Record<string, (input: unknown) => Promise<unknown>>;
      events: Record<string, (listener: (payload: unknown) => void) => () => void>;
    };
    for (const method of CONTRACT_METHODS) {
      await expect(bridge.methods[method]!({ probe: method })).resolves.toEqual({ ok: true, value: { channel: methodChannel(method) } });
    }
    expect(invoked).toEqual(CONTRACT_METHODS.map((method) => [methodChannel(method), { probe: method }]));
    for (const event of CONTRACT_EVENTS) {
      const seen: unknown[] = [];
      const unsubscribe = bridge.events[event]!((...args: unknown[]) => seen.push(args));
      for (const listener of listeners.get(eventChannel(event)) ?? []) listener({ sender: 'ipc internals' }, { probe: event });
      unsubscribe();
      expect(listeners.get(eventChannel(event))?.size ?? 0, event).toBe(0);
      expect(seen, event).toEqual([[{ probe: event }]]);
    }
  });

  it('bundles the main process as an ES module that loads electron and keytar at run time', async () => {
    const main = await fs.readFile(built.main, 'utf8');
    expect(main).toMatch(/^import .* from "electron";$/m);
    expect(main).toMatch(/import\("keytar"\)/);
    expect(main).not.toMatch(/\bmodule\.exports\s*=\s*require\("electron"\)/);
    expect(main).not.toContain('loadFile(');
  });
});
