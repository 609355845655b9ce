import { describe, expect, it } from 'vitest';
import { isLoopbackRedirectUri, redirectUriListProblems, redirectUriProblem } from './redirect-uris.ts';

describe('redirect URI rules', () => {
  it.each([
    'https://app.example.com/callback',
    'https://app.example.com:8443/cb?x=1',
    'http://127.0.0.1/callback',
    'http://127.0.0.1:53123/callback',
    'http://[::1]:8080/cb',
    'com.example.app:/oauth2redirect',
  ])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeNull();
  });

  it.each([
    ['', /Enter a redirect URI/],
    ['http://example.com/cb', /only allowed for the loopback/],
    ['http://localhost/cb', /only allowed for the loopback/],
    ['https://app.example.com/cb#frag', /fragment/],
    ['https://*.example.com/cb', /Wildcards/],
    ['javascript:alert(1)', /javascript: scheme is not allowed/],
    ['data:text/html,hi', /data: scheme/],
    ['file:///etc/passwd', /file: scheme/],
    ['https://user:pw@example.com/cb', /user name or password/],
    ['/relative/cb', /absolute URI/],
    [' https://a.example.com/cb', /spaces/],
    ['myapp:/cb', /reverse-domain/],
    [`https://example.com/${'a'.repeat(2000)}`, /at most 2000/],
  ])('refuses %s with a reason', (uri, reason) => {
    expect(redirectUriProblem(uri)).toMatch(reason);
  });

  it('names duplicates by their position', () => {
    const problems = redirectUriListProblems(['https://a.example.com/cb', 'https://b.example.com/cb', 'https://a.example.com/cb']);
    expect([...problems.entries()]).toEqual([[2, 'This redirect URI is already in the list.']]);
  });

  it('knows loopback URIs (any port at authorization time)', () => {
    expect(isLoopbackRedirectUri('http://127.0.0.1:4567/callback')).toBe(true);
    expect(isLoopbackRedirectUri('https://127.0.0.1/callback')).toBe(false);
    expect(isLoopbackRedirectUri('not a uri')).toBe(false);
  });
});
