import { describe, expect, it } from 'vitest';
import { CONTRACT_EVENTS, CONTRACT_METHODS, ok } from '../shared/contract.ts';
import type { ContractHandlers, ContractMethod } from '../shared/contract.ts';
import { eventChannel, methodChannel } from './bridge-builder.ts';
import { APP_ENTRY_URL, createEventForwarder, isTrustedSender, registerContractHandlers } from './ipc-handlers.ts';
import type { InvokeEventLike, IpcMainLike } from './ipc-handlers.ts';

/** Records what main registers, the way Electron's ipcMain would hold it. */
function recordingIpcMain() {
  const registered = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (registered.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      registered.set(channel, listener);
    },
    removeHandler(channel) {
      registered.delete(channel);
    },
  };
  return { ipcMain, registered };
}

/** Handlers that record which method ran: this test is about routing, not the services. */
function recordingHandlers() {
  const calls: Array<{ method: ContractMethod; input: unknown }> = [];
  const handlers = Object.fromEntries(
    CONTRACT_METHODS.map((method) => [method, async (input: unknown) => {
      calls.push({ method, input });
      return ok({ handledBy: method });
    }]),
  ) as unknown as ContractHandlers;
  return { handlers, calls };
}

const appWebContents = { id: 1 };
const trustedEvent: InvokeEventLike = { sender: appWebContents, senderFrame: { url: APP_ENTRY_URL, parent: null } };
const validInputs: Record<ContractMethod, unknown> = {
  'session:get': {},
  'session:sign-in': {},
  'session:cancel-sign-in': {},
  'session:sign-out': {},
  'connectivity:get': {},
  'clients:snapshot': {},
  'clients:head': { limit: 50 },
  'clients:refresh': {},
  'clients:get': { clientId: 'ts_admin_client' },
  'clients:create': { kind: 'sync_connector', name: 'Directory sync' },
  'clients:update': { clientId: 'ts_admin_client', version: 1, changes: { name: 'Renamed' } },
  'clients:delete': { clientId: 'tsc_x' },
  'secrets:rotate': { clientId: 'tsc_x', expiresInDays: 90, retireOthersAfterHours: 24 },
  'secrets:retire': { clientId: 'tsc_x', secretId: 'sec_1' },
  'clients:history': { clientId: 'tsc_x' },
  'clients:batch': { action: 'disable', clientIds: ['tsc_x'] },
  'clients:export': { clientIds: ['tsc_x'] },
  'clients:import': { text: '{}', dryRun: true },
  'server:endpoints': {},
  'scopes:list': {},
  'secret:reveal': { handle: 'h1' },
  'secret:copy': { handle: 'h1' },
  'secret:discard': { handle: 'h1' },
  'clipboard:copy-text': { text: 'ts_admin_client' },
  'settings:get': {},
  'settings:set': { clipboardClearSeconds: 30 },
};

describe('Electron IPC handlers (recording ipcMain)', () => {
  it('registers exactly one channel per contract method, and unregisters them', () => {
    const { ipcMain, registered } = recordingIpcMain();
    const unregister = registerContractHandlers(ipcMain, recordingHandlers().handlers, () => true);
    expect([...registered.keys()].sort()).toEqual(CONTRACT_METHODS.map(methodChannel).sort());
    unregister();
    expect(registered.size).toBe(0);
  });

  it('routes every method on its channel to its own handler with the validated input', async () => {
    const { ipcMain, registered } = recordingIpcMain();
    const { handlers, calls } = recordingHandlers();
    registerContractHandlers(ipcMain, handlers, (event) => isTrustedSender(event, appWebContents));
    for (const method of CONTRACT_METHODS) {
      const result = await registered.get(methodChannel(method))!(trustedEvent, validInputs[method]);
      expect(result, method).toEqual({ ok: true, value: { handledBy: method } });
    }
    expect(calls.map((c) => c.method)).toEqual(CONTRACT_METHODS);
    // Defaults of the schema are applied before the handler runs.
    expect(calls.find((c) => c.method === 'session:sign-out')?.input).toEqual({ removeOfflineData: false });
  });

  it('answers validation, naming the field, for bad input to any method, without running the handler', async () => {
    const { ipcMain, registered } = recordingIpcMain();
    const { handlers, calls } = recordingHandlers();
    registerContractHandlers(ipcMain, handlers, () => true);
    for (const method of CONTRACT_METHODS) {
      for (const bad of [{ unexpectedField: 1 }, 'not an object', 42]) {
        const result = (await registered.get(methodChannel(method))!(trustedEvent, bad)) as { ok: boolean; error?: { code: string; message: string } };
        expect(result.ok, `${method} with ${JSON.stringify(bad)}`).toBe(false);
        expect(result.error?.code, method).toBe('validation');
        expect(result.error?.message.length, method).toBeGreaterThan(0);
      }
    }
    const unknownField = (await registered.get(methodChannel('settings:set'))!(trustedEvent, { colour: 'red' })) as { error: { fields: Array<{ field: string }> } };
    expect(JSON.stringify(unknownField.error.fields)).toContain('colour');
    expect(calls).toEqual([]);
  });

  it('refuses every sender that is not the main frame of the app window on app://thetasecure', async () => {
    const { ipcMain, registered } = recordingIpcMain();
    const { handlers, calls } = recordingHandlers();
    registerContractHandlers(ipcMain, handlers, (event) => isTrustedSender(event, appWebContents));
    const untrusted: Array<[string, InvokeEventLike]> = [
      ['another window', { sender: { id: 2 }, senderFrame: { url: APP_ENTRY_URL, parent: null } }],
      ['a subframe', { sender: appWebContents, senderFrame: { url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL } } }],
      ['a web page', { sender: appWebContents, senderFrame: { url: 'https://evil.example/', parent: null } }],
      ['a file:// page', { sender: appWebContents, senderFrame: { url: 'file:///tmp/index.html', parent: null } }],
      ['another app:// host', { sender: appWebContents, senderFrame: { url: 'app://other/index.html', parent: null } }],
      ['a destroyed frame', { sender: appWebContents, senderFrame: null }],
    ];
    for (const [what, event] of untrusted) {
      const result = (await registered.get(methodChannel('clients:snapshot'))!(event, {})) as { ok: boolean; error?: { code: string } };
      expect(result, what).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(isTrustedSender(trustedEvent, null)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('forwards every contract event to the app window on its own channel, and drops them when no window is open', () => {
    const sent: Array<[string, unknown]> = [];
    let destroyed = false;
    let open = true;
    const emit = createEventForwarder(() => (open ? { isDestroyed: () => destroyed, send: (channel, payload) => sent.push([channel, payload]) } : null));
    for (const event of CONTRACT_EVENTS) emit(event, { probe: event } as never);
    expect(sent).toEqual(CONTRACT_EVENTS.map((event) => [eventChannel(event), { probe: event }]));
    destroyed = true;
    emit('clients:reset', { rev: 1 });
    open = false;
    emit('clients:reset', { rev: 1 });
    expect(sent).toHaveLength(CONTRACT_EVENTS.length);
  });
});
