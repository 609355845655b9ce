import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { SIGN_IN_TIMEOUT_MS, startLoopbackCallback } from './loopback-callback.ts';
import { createManualClock } from './testing/manual-clock.ts';

// Real HTTP on 127.0.0.1; the 5-minute timeout runs on an injected clock.
async function portIsClosed(redirectUri: string): Promise<boolean> {
  const { port } = new URL(redirectUri);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('one-shot loopback sign-in listener', () => {
  it('listens on 127.0.0.1 at a random port, path /callback', async () => {
    const listener = await startLoopbackCallback({ expectedState: 's1', clock: createManualClock() });
    expect(listener.redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    listener.cancel();
    expect(await listener.arrival).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await portIsClosed(listener.redirectUri)).toBe(true);
  });

  it('answers the matching callback with a no-store page "Signed in — return to ThetaSecure Admin", then closes', async () => {
    const listener = await startLoopbackCallback({ expectedState: 'right-state', clock: createManualClock() });
    const browser = fetch(`${listener.redirectUri}?code=abc&state=right-state&iss=x`);
    const arrival = await listener.arrival;
    expect(arrival.ok).toBe(true);
    if (!arrival.ok) return;
    expect(arrival.value.url.searchParams.get('code')).toBe('abc');
    arrival.value.finish({ signedIn: true });
    const page = await browser;
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('Signed in — return to ThetaSecure Admin');
    expect(await portIsClosed(listener.redirectUri)).toBe(true);
  });

  it('turns away a callback with the wrong state and keeps waiting for the right one', async () => {
    const listener = await startLoopbackCallback({ expectedState: 'right-state', clock: createManualClock() });
    const wrong = await fetch(`${listener.redirectUri}?code=evil&state=forged`);
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('cache-control')).toBe('no-store');
    expect(await wrong.text()).toContain('does not belong to the sign-in');
    const other = await fetch(listener.redirectUri.replace('/callback', '/favicon.ico'));
    expect(other.status).toBe(404);
    const browser = fetch(`${listener.redirectUri}?code=good&state=right-state`);
    const arrival = await listener.arrival;
    expect(arrival.ok && arrival.value.url.searchParams.get('code')).toBe('good');
    if (arrival.ok) arrival.value.finish({ signedIn: false, reason: 'The server said no.' });
    const page = await browser;
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Sign-in failed — return to ThetaSecure Admin');
  });

  it('gives up after 5 minutes and closes the port', async () => {
    const clock = createManualClock();
    const listener = await startLoopbackCallback({ expectedState: 's', clock });
    expect(SIGN_IN_TIMEOUT_MS).toBe(5 * 60 * 1000);
    await clock.advance(SIGN_IN_TIMEOUT_MS - 1);
    expect(await portIsClosed(listener.redirectUri)).toBe(false);
    await clock.advance(1);
    const result = await listener.arrival;
    expect(result).toMatchObject({ ok: false, error: { code: 'timeout' } });
    if (!result.ok) expect(result.error.message).toContain('5 minutes');
    expect(await portIsClosed(listener.redirectUri)).toBe(true);
  });
});
