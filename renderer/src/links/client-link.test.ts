import { describe, expect, it } from 'vitest';
import { clientIdFromHash, clientLink } from './client-link.ts';

describe('client links', () => {
  it('are thetasecure-admin:// in Electron and #/clients/<id> in serve mode', () => {
    expect(clientLink('tsc_ab', { protocol: 'app:', origin: 'app://thetasecure', pathname: '/index.html' })).toBe('thetasecure-admin://clients/tsc_ab');
    expect(clientLink('tsc_ab', { protocol: 'http:', origin: 'http://127.0.0.1:5000', pathname: '/' })).toBe('http://127.0.0.1:5000/#/clients/tsc_ab');
  });

  it('read a client id from the hash, and nothing else', () => {
    expect(clientIdFromHash('#/clients/tsc_ab')).toBe('tsc_ab');
    expect(clientIdFromHash('#/clients/thetasecure-admin-console/')).toBe('thetasecure-admin-console');
    for (const hash of ['', '#/settings', '#/clients/', '#/clients/a/b', '#/clients/%3Cx%3E', '#/clients/%E0%A4%A']) expect(clientIdFromHash(hash), hash).toBeNull();
  });
});
