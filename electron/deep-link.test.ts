import { describe, expect, it } from 'vitest';
import { clientIdFromArgv, clientIdFromLink, linkToClient } from './deep-link.ts';

describe('thetasecure-admin:// links', () => {
  it('round-trip a client id', () => {
    expect(linkToClient('tsc_4kT9-x')).toBe('thetasecure-admin://clients/tsc_4kT9-x');
    expect(clientIdFromLink(linkToClient('tsc_4kT9-x'))).toBe('tsc_4kT9-x');
    expect(clientIdFromLink('thetasecure-admin://clients/thetasecure-admin-console/')).toBe('thetasecure-admin-console');
  });

  it('ignore anything that is not exactly a client link', () => {
    for (const text of [
      'https://clients/tsc_x',
      'thetasecure-admin://settings/tsc_x',
      'thetasecure-admin://clients/',
      'thetasecure-admin://clients/a/b',
      'thetasecure-admin://clients/tsc_x?next=https://evil.example',
      'thetasecure-admin://clients/%3Cscript%3E',
      'thetasecure-admin://clients/%E0%A4%A',
      'not a url',
    ]) {
      expect(clientIdFromLink(text), text).toBeNull();
    }
  });

  it('find the link in a second instance command line', () => {
    expect(clientIdFromArgv(['/usr/bin/thetasecure-admin', '--no-sandbox', 'thetasecure-admin://clients/tsc_abc'])).toBe('tsc_abc');
    expect(clientIdFromArgv(['/usr/bin/thetasecure-admin'])).toBeNull();
  });
});
