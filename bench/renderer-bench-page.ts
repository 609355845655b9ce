// What the renderer benchmark runs inside the page (each function is passed to Playwright's
// addInitScript or evaluate, so it must not close over anything outside itself).
import type { Client } from '../shared/client.ts';

export interface Sample {
  /** From the event's timestamp to the first DOM mutation it caused; null when it changed nothing. */
  dom: number | null;
  /** `sync` plus style and layout of the result (read back synchronously). */
  layout: number;
  /** From the event to the end of the synchronous work it started. */
  sync: number;
}

/**
 * The stand-in `window.thetasecure`: a signed-in admin, online, and the generated clients as
 * the replica's snapshot (complete, live). Events never fire: nothing changes during the run.
 */
export function installBenchBridge(clients: Client[]): void {
  const w = window as unknown as { benchClients: Client[]; thetasecure: unknown };
  w.benchClients = clients;
  const ok = (value: unknown) => Promise.resolve({ ok: true, value });
  const now = new Date().toISOString();
  const sync = { phase: 'live', received: 0, expected: null, syncedAt: now, seq: clients.length, persisted: true };
  const answers: Record<string, () => Promise<unknown>> = {
    'session:get': () => ok({ status: 'signed-in', issuer: 'https://bench.invalid', user: { subject: 'bench', name: 'Bench', roles: ['admin'] }, canWrite: true, remembered: false, keychainAvailable: true }),
    'connectivity:get': () => ok({ online: true, since: now }),
    'clients:snapshot': () => ok({ rev: 1, items: clients, complete: true, sync }),
    'clients:refresh': () => ok(sync),
    'settings:get': () => ok({ issuerUrl: 'https://bench.invalid', clipboardClearSeconds: 30, cacheTtlDays: 7 }),
    'scopes:list': () => ok({ items: [] }),
    'server:endpoints': () => ok({ issuer: 'https://bench.invalid', authorizationEndpoint: 'https://bench.invalid/auth', tokenEndpoint: 'https://bench.invalid/token', jwksUri: 'https://bench.invalid/jwks', source: 'live' }),
  };
  const methods = new Proxy({}, { get: (_target, name: string) => () => (answers[name] ?? (() => Promise.resolve({ ok: false, error: { code: 'internal', message: `${name} is not part of the benchmark` } })))() });
  const events = new Proxy({}, { get: () => () => () => {} });
  w.thetasecure = { methods, events };
}

/**
 * Times each `input` event on the search box and each `click` on a column header's sort
 * button, from the event's own timestamp:
 * - `sync`: until the event's synchronous work is done. React renders a discrete update in a
 *   microtask right after its own listener on the root, and a trusted event runs microtasks
 *   after each listener, so a bubble-phase listener on window runs once the DOM is up to date.
 * - `layout`: the same, plus style and layout of the result (a layout property read back).
 * - `dom`: to the first DOM mutation (MutationObserver), for events that changed the DOM.
 */
export function installProbe(): void {
  type Pending = { start: number; dom: number | null; kind: 'input' | 'click' };
  const w = window as unknown as { benchSamples: Record<'input' | 'click', Sample[]>; benchPending: Pending | null };
  w.benchSamples = { input: [], click: [] };
  w.benchPending = null;
  const observer = new MutationObserver(() => {
    const pending = w.benchPending;
    if (pending && pending.dom === null) pending.dom = performance.now() - pending.start;
  });
  const start = () => observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['style', 'class'] });
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
  const kindOf = (event: Event): 'input' | 'click' | null => {
    const target = event.target as HTMLElement | null;
    if (event.type === 'input' && target?.getAttribute('aria-label') === 'Search clients') return 'input';
    if (event.type === 'click' && target?.closest('th button')) return 'click';
    return null;
  };
  for (const type of ['input', 'click']) {
    // Capture phase on window: before React's listener on the root sees the event.
    window.addEventListener(
      type,
      (event) => {
        const kind = kindOf(event);
        if (kind) w.benchPending = { start: event.timeStamp, dom: null, kind };
      },
      true,
    );
    // Bubble phase on window: after React's listener and the render it scheduled.
    window.addEventListener(type, (event) => {
      const pending = w.benchPending;
      if (!pending || kindOf(event) !== pending.kind) return;
      const sync = performance.now() - pending.start;
      void document.body.offsetHeight;
      const layout = performance.now() - pending.start;
      w.benchSamples[pending.kind].push({ dom: pending.dom, sync, layout });
      w.benchPending = null;
    });
  }
}

/**
 * Scrolls the list's scroll container by `stepPx` once per animation frame, `steps` times,
 * and answers each frame's duration (the time between consecutive requestAnimationFrame
 * callbacks: a frame whose work did not fit in one display refresh shows as a long one), and
 * how many frames began with no row under the top of the viewport (the rows for the last
 * scroll step were not rendered in time: a blank frame).
 */
export async function scrollFrames({ steps, stepPx }: { steps: number; stepPx: number }): Promise<{ frames: number[]; blankFrames: number; scrolledPx: number }> {
  const element = document.querySelector<HTMLElement>('.table-scroll');
  if (!element) throw new Error('No .table-scroll on the page');
  element.scrollTop = 0;
  const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
  await nextFrame();
  await nextFrame();
  const box = element.getBoundingClientRect();
  const frames: number[] = [];
  let blankFrames = 0;
  let last = await nextFrame();
  for (let i = 0; i < steps; i++) {
    element.scrollTop += stepPx;
    const now = await nextFrame();
    frames.push(now - last);
    last = now;
    // Below the sticky header: a row should be there by now.
    if (!document.elementFromPoint(box.left + 40, box.top + 60)?.closest('tbody tr')) blankFrames++;
  }
  return { frames, blankFrames, scrolledPx: element.scrollTop };
}
