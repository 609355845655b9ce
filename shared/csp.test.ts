import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_DIRECTIVES } from './csp.ts';

describe('the Content-Security-Policy of both hosts', () => {
  it('allows scripts only from the app itself: no inline script, no eval, no remote origin', () => {
    expect(CONTENT_SECURITY_POLICY_DIRECTIVES['script-src']).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|https?:|\*/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/(^|; )default-src 'none'(;|$)/);
  });

  it('closes framing, plugins, base and form targets', () => {
    for (const directive of ['object-src', 'frame-ancestors', 'base-uri', 'form-action', 'frame-src']) {
      expect(CONTENT_SECURITY_POLICY_DIRECTIVES[directive], directive).toEqual(["'none'"]);
    }
    expect(CONTENT_SECURITY_POLICY_DIRECTIVES['connect-src']).toEqual(["'self'"]);
  });

  it('is one header value', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/[\r\n]/);
    expect(CONTENT_SECURITY_POLICY.split('; ')).toHaveLength(Object.keys(CONTENT_SECURITY_POLICY_DIRECTIVES).length);
  });
});
