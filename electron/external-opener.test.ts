import { describe, expect, it } from 'vitest';
import { createExternalOpener, isAllowedExternalUrl } from './external-opener.ts';

describe('the external opener (the only way out of the app)', () => {
  it("allows the configured issuer's https pages and a loopback issuer's http pages", () => {
    expect(isAllowedExternalUrl('https://login.example.com/auth?client_id=x&state=y', ['https://login.example.com'])).toBe(true);
    expect(isAllowedExternalUrl('https://login.example.com/auth', ['https://login.example.com/tenant-a'])).toBe(true);
    expect(isAllowedExternalUrl('http://127.0.0.1:4000/auth?x=1', ['http://127.0.0.1:4000'])).toBe(true);
    expect(isAllowedExternalUrl('http://[::1]:4000/auth', ['http://[::1]:4000'])).toBe(true);
  });

  it('refuses other origins, other schemes, plain http off loopback, userinfo and unparseable URLs', () => {
    const issuers = ['https://login.example.com', 'http://127.0.0.1:4000'];
    for (const url of [
      'https://evil.example/auth',
      'https://login.example.com.evil.example/auth',
      'https://login.example.com:8443/auth',
      'http://login.example.com/auth',
      'http://127.0.0.1:4001/auth',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://login.example.com/share',
      'https://user:pw@login.example.com/auth',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(url, issuers), url).toBe(false);
    }
    expect(isAllowedExternalUrl('http://login.example.com/auth', ['http://login.example.com'])).toBe(false);
    expect(isAllowedExternalUrl('https://login.example.com/auth', [])).toBe(false);
  });

  it('calls the real opener only for allowed URLs, and names only the refused origin', async () => {
    const opened: string[] = [];
    const opener = createExternalOpener({ issuers: async () => ['https://login.example.com'], open: async (url) => void opened.push(url) });
    await opener.open('https://login.example.com/auth?state=abc');
    const refused = opener.open('https://evil.example/phish?state=secret-state');
    await expect(refused).rejects.toThrow(/https:\/\/evil\.example/);
    await expect(refused).rejects.not.toThrow(/secret-state/);
    expect(opened).toEqual(['https://login.example.com/auth?state=abc']);
  });
});
