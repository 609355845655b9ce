import { describe, expect, it } from 'vitest';
import { createBrowserLaunches, discoveredEndpointProblem } from './services/browser-launches.ts';
import { createExternalOpener, isOpenableScheme } from './external-opener.ts';

function recordingOpener() {
  const launches = createBrowserLaunches();
  const opened: string[] = [];
  const opener = createExternalOpener({ permitted: (url) => launches.take(url), open: async (url) => void opened.push(url) });
  return { launches, opened, opener };
}

describe('the external opener (the only way out of the app; issue 9 item 9)', () => {
  it('opens a URL the session permitted, exactly once', async () => {
    const { launches, opened, opener } = recordingOpener();
    const url = 'https://login.example.com/auth?client_id=x&state=y';
    launches.permit(url);
    await opener.open(url);
    await expect(opener.open(url)).rejects.toThrow(/Refused to open https:\/\/login\.example\.com/);
    expect(opened).toEqual([url]);
  });

  it('refuses every URL the session did not build, even on the issuer origin, and names only the origin', async () => {
    const { launches, opened, opener } = recordingOpener();
    launches.permit('https://login.example.com/auth?state=abc');
    for (const url of [
      'https://login.example.com/auth?state=abc&prompt=none',
      'https://login.example.com/phish',
      'https://login.example.com/auth?state=abd',
      'https://evil.example/auth?state=abc',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'not a url',
    ]) {
      const refused = opener.open(url);
      await expect(refused, url).rejects.toThrow(/^Refused to open /);
      await expect(refused).rejects.not.toThrow(/state=/);
    }
    expect(opened).toEqual([]);
  });

  it('refuses even a permitted URL that is not https (or http on loopback) or carries userinfo', async () => {
    const { launches, opened, opener } = recordingOpener();
    for (const url of ['http://login.example.com/auth', 'https://user:pw@login.example.com/auth', 'smb://login.example.com/share']) {
      launches.permit(url);
      await expect(opener.open(url), url).rejects.toThrow(/^Refused to open /);
    }
    expect(opened).toEqual([]);
    expect(isOpenableScheme('http://127.0.0.1:4000/auth')).toBe(true);
    expect(isOpenableScheme('http://[::1]:4000/auth')).toBe(true);
    expect(isOpenableScheme('https://login.example.com/auth')).toBe(true);
  });

  it('a discovery document may name endpoints only on the issuer origin, https or loopback http', () => {
    expect(discoveredEndpointProblem('https://login.example.com/auth', 'https://login.example.com', 'authorization endpoint')).toBeNull();
    expect(discoveredEndpointProblem('http://127.0.0.1:4000/session/end', 'http://127.0.0.1:4000', 'end-session endpoint')).toBeNull();
    expect(discoveredEndpointProblem('https://evil.example/auth', 'https://login.example.com', 'authorization endpoint')).toMatch(/not on the issuer's origin/);
    expect(discoveredEndpointProblem('http://login.example.com/auth', 'http://login.example.com', 'authorization endpoint')).toMatch(/not https/);
    expect(discoveredEndpointProblem('https://u:p@login.example.com/auth', 'https://login.example.com', 'authorization endpoint')).toMatch(/user name or password/);
    expect(discoveredEndpointProblem(undefined, 'https://login.example.com', 'end-session endpoint')).toMatch(/names no end-session endpoint/);
  });
});
