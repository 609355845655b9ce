import { describe, expect, it } from 'vitest';
import { CONTRACT_METHODS, dispatch, fail, ok } from './contract.ts';
import type { ContractHandlers } from './contract.ts';

// Every handler records that it ran: dispatch must never run one with bad input.
function recordingHandlers(calls: string[]): ContractHandlers {
  return Object.fromEntries(CONTRACT_METHODS.map((m) => [m, async () => { calls.push(m); return ok({}); }])) as unknown as ContractHandlers;
}

describe('dispatch', () => {
  it('refuses bad input to any method with `validation`, naming the field, without calling the handler', async () => {
    const calls: string[] = [];
    const handlers = recordingHandlers(calls);
    for (const method of CONTRACT_METHODS) {
      const result = await dispatch(handlers, method, { unexpected: true });
      expect(result, method).toMatchObject({ ok: false, error: { code: 'validation' } });
      if (!result.ok) expect(result.error.fields?.map((f) => f.field).join(' '), method).toMatch(/unexpected|kind|clientId|handle|text|version/);
    }
    expect(calls).toEqual([]);
  });

  it('answers an unknown method with not_found', async () => {
    expect(await dispatch(recordingHandlers([]), 'clients:drop-all', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('turns a thrown error into an `internal` result instead of throwing across the boundary', async () => {
    const handlers = { ...recordingHandlers([]), 'session:get': async () => { throw new Error('boom'); } } as ContractHandlers;
    expect(await dispatch(handlers, 'session:get', {})).toEqual(fail('internal', 'Unexpected error in session:get: boom'));
  });

  it('passes parsed input (with defaults) to the handler', async () => {
    let seen: unknown;
    const handlers = { ...recordingHandlers([]), 'session:sign-out': async (input: unknown) => { seen = input; return ok({}); } } as unknown as ContractHandlers;
    await dispatch(handlers, 'session:sign-out', {});
    expect(seen).toEqual({ removeOfflineData: false });
  });
});
