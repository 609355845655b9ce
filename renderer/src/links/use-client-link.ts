// Opening the app on a client (issue 11): `#/clients/<clientId>` in serve mode (at load and on
// hashchange), and the host's `link:open-client` event for `thetasecure-admin://` links in
// Electron. The hash is cleared once read, so closing the panel does not reopen it.
import { useEffect } from 'react';
import { subscribe } from '../lib/bridge.ts';
import { clientIdFromHash } from './client-link.ts';

export function useClientLink(open: (clientId: string) => void): void {
  useEffect(() => {
    const fromHash = () => {
      const clientId = clientIdFromHash(window.location.hash);
      if (!clientId) return;
      open(clientId);
      history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    const unsubscribe = subscribe('link:open-client', ({ clientId }) => open(clientId));
    return () => {
      window.removeEventListener('hashchange', fromHash);
      unsubscribe();
    };
  }, [open]);
}
