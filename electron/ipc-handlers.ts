// Electron's side of the contract: one ipcMain.handle per method, registered by looping over the
// contract, each checking its sender before validating input through `dispatch`. Typed against a
// minimal ipcMain so it is tested under plain Node with a recording fake.
import { CONTRACT_EVENTS, CONTRACT_METHODS, dispatch, fail } from '../shared/contract.ts';
import { joinJsonTextFields } from '../shared/json-text.ts';
import type { ContractEvent, ContractHandlers, EventPayload, Result } from '../shared/contract.ts';
import { eventChannel, methodChannel } from './bridge-builder.ts';

/** The parts of an IpcMainInvokeEvent the sender check reads. */
export interface InvokeEventLike {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

export interface IpcMainLike<E extends InvokeEventLike = InvokeEventLike> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The app's renderer origin: the privileged app:// scheme, one fixed host. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'thetasecure';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

function sameWebContents(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Electron hands out one wrapper per WebContents, but the id is what identifies it.
  const idOf = (value: unknown) => (typeof value === 'object' && value !== null ? (value as { id?: unknown }).id : undefined);
  const id = idOf(a);
  return typeof id === 'number' && id === idOf(b);
}

/** True only for the main frame of the app's own window showing a page of app://thetasecure. */
export function isTrustedSender(event: InvokeEventLike, appWebContents: unknown): boolean {
  if (appWebContents === null || appWebContents === undefined || !sameWebContents(event.sender, appWebContents)) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  // Compare scheme and host, not URL.origin: Node treats app:// as opaque ("null") while
  // Chromium, where the scheme is registered as standard, gives it a real origin.
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
}

/**
 * Registers one handler per contract method. Returns a function that removes them all.
 * An untrusted sender gets `forbidden` and the handler never runs.
 */
export function registerContractHandlers<E extends InvokeEventLike>(
  ipcMain: IpcMainLike<E>,
  handlers: ContractHandlers,
  isTrusted: (event: E) => boolean,
): () => void {
  for (const method of CONTRACT_METHODS) {
    ipcMain.handle(methodChannel(method), async (event, input): Promise<Result<unknown>> => {
      if (!isTrusted(event)) return fail('forbidden', `${method} was called from a page that is not ThetaSecure Admin's window.`);
      // The replica's list leaves as one string: IPC copies a string in one go (shared/json-text.ts).
      return joinJsonTextFields(await dispatch(handlers, method, input));
    });
  }
  return () => {
    for (const method of CONTRACT_METHODS) ipcMain.removeHandler(methodChannel(method));
  };
}

export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

/** The `emit` effect of the services in Electron: sends each event to the app window, if open. */
export function createEventForwarder(target: () => EventTarget | null) {
  const known = new Set<string>(CONTRACT_EVENTS);
  return function emit<E extends ContractEvent>(event: E, payload: EventPayload<E>): void {
    if (!known.has(event)) return;
    const contents = target();
    if (!contents || contents.isDestroyed()) return;
    contents.send(eventChannel(event), payload);
  };
}
