import { describe, expect, it } from 'vitest';
import { canonicalRedirectUri, isLoopbackRedirectUri, redirectUriListProblems, redirectUriProblem } from './redirect-uris.ts';

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
    ['myapp:/cb', /reverse domain name/],
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

  // Issue 9 item 7: each of these was accepted and stored as sent.
  it.each([
    ['https://app.example.com/c\u0000b', /control characters/],
    ['https://app.example.com/cb\u0007', /control characters/],
    ['https://app.example.com/cb\u009b', /control characters/],
    ['https://app.example.com/\u202ebc', /bidirectional override/],
    ['https://app.example.com/\u2066cb', /bidirectional override/],
    ['https://exa\u200bmple.com/cb', /invisible characters/],
    ['https://example.com\u200d/cb', /invisible characters/],
    ['https://example.com/\ufeffcb', /invisible characters/],
    ['https://example.com/cb\ud800', /lone UTF-16 surrogate/],
    ['https:///cb', /two slashes and a host/],
    ['https:/example.com/cb', /two slashes and a host/],
    ['https:example.com/cb', /two slashes and a host/],
    ['https://:443/cb', /two slashes and a host|not a valid URI/],
    ['http:///callback', /two slashes and a host/],
    ['https://example.com\\@evil.com/cb', /backslash/],
    ['https://example.com\\cb', /backslash/],
    ['https://user@example.com/cb', /user name or password/],
    ['https://@example.com/cb', /user name or password/],
    ['com.example.app://user@host/cb', /user name or password/],
    ['data.evil.com:alert(1)', /reverse domain name/],
    ['javascript.evil.com:/cb', /reverse domain name/],
    ['https.evil.com:/cb', /reverse domain name/],
    ['myapp:/cb', /reverse domain name/],
    ['my+app.example:/cb', /reverse domain name/],
    ['1com.example:/cb', /absolute URI/],
    ['com.example.app:///cb', /needs a host/],
  ])('refuses %j (issue 9)', (uri, reason) => {
    expect(redirectUriProblem(uri)).toMatch(reason);
  });

  it.each([
    ['HTTPS://App.Example.COM/Callback', 'https://app.example.com/Callback'],
    ['https://app.example.com:443/cb', 'https://app.example.com/cb'],
    ['https://app.example.com', 'https://app.example.com/'],
    ['https://bücher.example/cb', 'https://xn--bcher-kva.example/cb'],
    ['https://app.example.com/ü', 'https://app.example.com/%C3%BC'],
    ['HTTP://127.0.0.1:8080/cb', 'http://127.0.0.1:8080/cb'],
    ['http://[0:0:0:0:0:0:0:1]/cb', 'http://[::1]/cb'],
    ['COM.Example.App:/cb', 'com.example.app:/cb'],
  ])('stores %s in one canonical form: %s', (uri, canonical) => {
    expect(redirectUriProblem(uri)).toBeNull();
    expect(canonicalRedirectUri(uri)).toBe(canonical);
    // Canonical is a fixed point: checking the stored form gives the same answer and the same form.
    expect(redirectUriProblem(canonical)).toBeNull();
    expect(canonicalRedirectUri(canonical)).toBe(canonical);
  });

  it('counts two spellings of one URI as a duplicate', () => {
    const problems = redirectUriListProblems(['https://a.example.com/cb', 'HTTPS://A.EXAMPLE.COM:443/cb']);
    expect([...problems.entries()]).toEqual([[1, 'This redirect URI is already in the list.']]);
  });

  it('the redirect URIs of the default clients still pass, already canonical', () => {
    for (const uri of ['com.thetasecure.mobile:/oauth2/callback', 'http://127.0.0.1/agent/callback', 'http://127.0.0.1/callback']) {
      expect(redirectUriProblem(uri), uri).toBeNull();
      expect(canonicalRedirectUri(uri)).toBe(uri);
    }
  });
});
