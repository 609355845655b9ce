import { describe, expect, it } from 'vitest';
import { CONTRACT_EVENTS, CONTRACT_METHODS } from '../shared/contract.ts';
import type { ContractEvent, ContractMethod } from '../shared/contract.ts';
import { buildBridge } from './bridge-builder.ts';

function recordingTransport(answer: (method: ContractMethod, input: unknown) => Promise<unknown>) {
  const invoked: Array<[ContractMethod, unknown]> = [];
  const listeners = new Map<ContractEvent, Set<(payload: unknown) => void>>();
  return {
    invoked,
    fire(event: ContractEvent, payload: unknown) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    transport: {
      invoke(method: ContractMethod, input: unknown) {
        invoked.push([method, input]);
        return answer(method, input);
      },
      subscribe(event: ContractEvent, listener: (payload: unknown) => void) {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
        return () => listeners.get(event)!.delete(listener);
      },
    },
  };
}

describe('buildBridge (window.thetasecure for both hosts)', () => {
  it('has exactly one function per contract method and one subscribe function per event, nothing else', () => {
    const bridge = buildBridge(CONTRACT_METHODS, CONTRACT_EVENTS, recordingTransport(async () => ({ ok: true, value: {} })).transport);
    expect(Object.keys(bridge).sort()).toEqual(['events', 'methods']);
    expect(Object.keys(bridge.methods).sort()).toEqual([...CONTRACT_METHODS].sort());
    expect(Object.keys(bridge.events).sort()).toEqual([...CONTRACT_EVENTS].sort());
    for (const fn of [...Object.values(bridge.methods), ...Object.values(bridge.events)]) expect(typeof fn).toBe('function');
  });

  it('sends each method to the transport under its own name and returns the result unchanged', async () => {
    const recorder = recordingTransport(async (method) => ({ ok: true, value: { method } }));
    const bridge = buildBridge(CONTRACT_METHODS, CONTRACT_EVENTS, recorder.transport);
    const call = bridge.methods as unknown as Record<string, (input?: unknown) => Promise<unknown>>;
    for (const method of CONTRACT_METHODS) {
      await expect(call[method]!({ probe: method })).resolves.toEqual({ ok: true, value: { method } });
    }
    expect(recorder.invoked).toEqual(CONTRACT_METHODS.map((method) => [method, { probe: method }]));
    await call['session:get']!();
    expect(recorder.invoked.at(-1)).toEqual(['session:get', {}]);
  });

  it('turns a transport failure or a non-result answer into an internal error result instead of throwing', async () => {
    const failing = buildBridge(CONTRACT_METHODS, CONTRACT_EVENTS, recordingTransport(async () => {
      throw new Error('connection refused');
    }).transport);
    await expect(failing.methods['clients:snapshot']({})).resolves.toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('connection refused') } });
    const odd = buildBridge(CONTRACT_METHODS, CONTRACT_EVENTS, recordingTransport(async () => 'surprise').transport);
    await expect(odd.methods['clients:snapshot']({})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('delivers events to subscribers until they unsubscribe', () => {
    const recorder = recordingTransport(async () => ({ ok: true, value: {} }));
    const bridge = buildBridge(CONTRACT_METHODS, CONTRACT_EVENTS, recorder.transport);
    const seen: unknown[] = [];
    const unsubscribe = bridge.events['clients:reset']((payload) => seen.push(payload));
    recorder.fire('clients:reset', { rev: 1 });
    unsubscribe();
    recorder.fire('clients:reset', { rev: 2 });
    expect(seen).toEqual([{ rev: 1 }]);
    expect(() => bridge.events['session:changed']('not a function' as never)).toThrow(/listener function/);
  });
});
