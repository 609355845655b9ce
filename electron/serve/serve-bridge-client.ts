// Runs in the browser page in serve mode (bundled into /serve-bridge.js by serve-bridge.ts):
// defines `window.thetasecure` with the same shape as Electron's preload, over fetch (one POST
// route per method) and one EventSource (/events). The method and event names are passed in by
// the generated entry, straight from the contract.
import type { ContractEvent, ContractMethod } from '../../shared/contract.ts';
import { buildBridge } from '../bridge-builder.ts';
import type { BridgeTransport } from '../bridge-builder.ts';

export const METHOD_ROUTE_PREFIX = '/contract/';
export const EVENTS_ROUTE = '/events';

type Listener = (payload: unknown) => void;

function createTransport(events: readonly ContractEvent[]): BridgeTransport {
  const listeners = new Map<ContractEvent, Set<Listener>>(events.map((event) => [event, new Set<Listener>()]));
  let source: EventSource | null = null;

  // One connection for all events, opened on first subscription; EventSource reconnects itself.
  const connect = () => {
    if (source) return;
    source = new EventSource(EVENTS_ROUTE);
    for (const event of events) {
      source.addEventListener(event, (message) => {
        let payload: unknown;
        try {
          payload = JSON.parse((message as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const listener of listeners.get(event) ?? []) listener(payload);
      });
    }
  };

  return {
    async invoke(method: ContractMethod, input: unknown): Promise<unknown> {
      const response = await fetch(METHOD_ROUTE_PREFIX + encodeURIComponent(method), {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      if (!response.ok) {
        const reason = response.status === 401 ? 'this page is not signed in to serve mode; open the URL that `npm run serve` printed' : `HTTP ${response.status}`;
        return { ok: false, error: { code: 'internal', message: `${method} failed: ${reason}.` } };
      }
      return response.json();
    },
    subscribe(event: ContractEvent, listener: Listener): () => void {
      const set = listeners.get(event);
      if (!set) throw new TypeError(`Unknown event "${event}".`);
      set.add(listener);
      connect();
      return () => {
        set.delete(listener);
      };
    },
  };
}

/** Methods whose host may open a page: sign-in (the login page) and sign-out (the server's end-session page). */
const TAB_METHODS = new Set<ContractMethod>(['session:sign-in', 'session:sign-out']);
/** Sign-out answers as soon as the host has sent the end-session URL; the event may arrive just after. */
const LATE_URL_GRACE_MS = 2_000;

/**
 * The sign-in (and sign-out) page opens in a new tab. Browsers only allow window.open inside the user's click,
 * but the authorization URL arrives later (the host emits `browser:open-url`), so a blank tab
 * is opened while the click is still on the stack and pointed at the URL when it arrives.
 */
function withSignInTab(transport: BridgeTransport): BridgeTransport {
  let pendingTab: Window | null = null;

  const openUrl = (payload: unknown) => {
    const url = (payload as { url?: unknown } | null)?.url;
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return;
    if (pendingTab && !pendingTab.closed) {
      pendingTab.location.href = url;
      pendingTab = null;
    } else {
      window.open(url, '_blank', 'noopener,noreferrer');
    }
  };

  // Subscribed before the page can subscribe to anything, so the sign-in URL is never missed.
  transport.subscribe('browser:open-url', openUrl);

  return {
    async invoke(method, input) {
      if (!TAB_METHODS.has(method)) return transport.invoke(method, input);
      if (!pendingTab || pendingTab.closed) {
        pendingTab = window.open('about:blank', '_blank');
        // The tab will show another origin's page: it gets no handle back to this one.
        if (pendingTab) pendingTab.opener = null;
      }
      const tab = pendingTab;
      try {
        const result = (await transport.invoke(method, input)) as { ok?: boolean };
        if (result?.ok !== true) tab?.close();
        else if (method === 'session:sign-out' && tab && pendingTab === tab) {
          // No end-session page yet: it may still be on its way, or none comes (the server is
          // away). The tab waits a moment for it, then a blank one is closed.
          setTimeout(() => {
            if (pendingTab !== tab) return;
            pendingTab = null;
            tab.close();
          }, LATE_URL_GRACE_MS);
          return result;
        }
        if (pendingTab === tab) pendingTab = null;
        return result;
      } catch (error) {
        tab?.close();
        throw error;
      } finally {
        if (pendingTab === tab && method !== 'session:sign-out') pendingTab = null;
      }
    },
    subscribe: transport.subscribe,
  };
}

export function installServeBridge(methods: readonly ContractMethod[], events: readonly ContractEvent[]): void {
  const transport = withSignInTab(createTransport(events));
  const bridge = buildBridge(methods, events, transport);
  Object.defineProperty(window, 'thetasecure', { value: Object.freeze(bridge), writable: false, configurable: false, enumerable: true });
}
