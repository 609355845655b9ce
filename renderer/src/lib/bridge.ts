// The renderer's only door to the world: `window.thetasecure`, put there by Electron's preload
// or by serve mode's bridge script. Every call goes through `call`, so a transport failure (the
// serve-mode host gone, an IPC error) becomes a Result like any other instead of a throw.
import { parseJsonTextFields } from '../../../shared/json-text.ts';
import type { ContractEvent, ContractMethod, EventPayload, MethodInput, MethodOutput, Result, ThetaSecureBridge } from '../../../shared/contract.ts';

declare global {
  interface Window {
    thetasecure?: ThetaSecureBridge;
  }
}

export function bridgeAvailable(): boolean {
  return typeof window !== 'undefined' && window.thetasecure !== undefined;
}

/**
 * Resolves once the host has installed the bridge. Electron's preload runs before any page
 * script; serve mode's bridge script is a classic script ahead of the module entry, but a host
 * may also install it later and announce it with a `thetasecure:ready` event.
 */
export function waitForBridge(timeoutMs: number): Promise<boolean> {
  if (bridgeAvailable()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      window.removeEventListener('thetasecure:ready', onReady);
      clearInterval(poll);
      clearTimeout(timer);
      resolve(value);
    };
    const onReady = () => done(bridgeAvailable());
    const poll = setInterval(() => {
      if (bridgeAvailable()) done(true);
    }, 25);
    const timer = setTimeout(() => done(bridgeAvailable()), timeoutMs);
    window.addEventListener('thetasecure:ready', onReady);
  });
}

export async function call<M extends ContractMethod>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>> {
  const bridge = window.thetasecure;
  if (!bridge) return { ok: false, error: { code: 'internal', message: 'ThetaSecure Admin is not connected to its host.' } };
  try {
    // Electron's IPC brings the replica's list as JSON text; it is parsed here, in the page's own
    // world (serve mode's bridge has already parsed it: nothing to do then).
    const result = parseJsonTextFields(await bridge.methods[method](input));
    if (result && typeof result === 'object' && 'ok' in result) return result;
    return { ok: false, error: { code: 'internal', message: `The host gave no answer to ${method}.` } };
  } catch (error) {
    // The host itself is unreachable (serve mode stopped, IPC torn down): not the server.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message: `Lost contact with the ThetaSecure Admin host: ${message}` } };
  }
}

export function subscribe<E extends ContractEvent>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  const bridge = window.thetasecure;
  if (!bridge) return () => {};
  try {
    return bridge.events[event](listener);
  } catch {
    return () => {};
  }
}
