// Builds `window.thetasecure` from the list of contract methods and events, for both hosts: the
// Electron preload (transport = ipcRenderer) and serve mode's bridge script (transport = fetch +
// EventSource). Only the transport differs, so the renderer sees the same object in both.
// This module imports types only, so the serve-mode browser bundle stays free of zod.
import type { ContractEvent, ContractMethod, Result, ThetaSecureBridge } from '../shared/contract.ts';

/** The one IPC channel of a contract method (ipcMain.handle / ipcRenderer.invoke). */
export function methodChannel(method: ContractMethod): string {
  return `thetasecure:method:${method}`;
}

/** The one IPC channel on which the main process sends a contract event to the window. */
export function eventChannel(event: ContractEvent): string {
  return `thetasecure:event:${event}`;
}

export interface BridgeTransport {
  invoke(method: ContractMethod, input: unknown): Promise<unknown>;
  subscribe(event: ContractEvent, listener: (payload: unknown) => void): () => void;
}

type AnyResult = Result<unknown>;

function isResult(value: unknown): value is AnyResult {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { ok?: unknown; value?: unknown; error?: unknown };
  if (candidate.ok === true) return 'value' in candidate;
  if (candidate.ok === false) {
    const error = candidate.error as { code?: unknown; message?: unknown } | undefined;
    return typeof error?.code === 'string' && typeof error.message === 'string';
  }
  return false;
}

/**
 * One function per contract method and one subscribe function per event, nothing else: no
 * generic `invoke(channel)` the page could point at another channel.
 */
export function buildBridge(methods: readonly ContractMethod[], events: readonly ContractEvent[], transport: BridgeTransport): ThetaSecureBridge {
  const methodEntries = methods.map((method) => {
    const call = async (input: unknown): Promise<AnyResult> => {
      try {
        const result = await transport.invoke(method, input ?? {});
        if (isResult(result)) return result;
        return { ok: false, error: { code: 'internal', message: `${method} returned something that is not a contract result.` } };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { code: 'internal', message: `${method} could not reach the app: ${message}` } };
      }
    };
    return [method, call] as const;
  });
  const eventEntries = events.map((event) => {
    const subscribe = (listener: (payload: unknown) => void): (() => void) => {
      if (typeof listener !== 'function') throw new TypeError(`thetasecure.events["${event}"] needs a listener function.`);
      return transport.subscribe(event, listener);
    };
    return [event, subscribe] as const;
  });
  return {
    methods: Object.fromEntries(methodEntries),
    events: Object.fromEntries(eventEntries),
  } as unknown as ThetaSecureBridge;
}
