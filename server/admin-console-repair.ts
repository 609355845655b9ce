// At every start: if the admin console client is missing or can no longer sign an admin in (a
// data folder from before issue 9, item 1, where it could be disabled, deleted or stripped), put
// it back, and say so. Otherwise the only way back would be wiping the data folder.
import type { ClientSettings } from '../shared/client.ts';
import type { ClientStore } from './client-store.ts';
import { adminConsoleBreakage, ADMIN_CONSOLE_SCOPES, hasAdminConsoleRedirectUri } from './default-client-guard.ts';
import { prepareNewClient } from './new-client.ts';
import { ADMIN_CONSOLE_CLIENT_ID, ADMIN_CONSOLE_REDIRECT_URI, DEFAULT_CLIENTS } from './provisioning.ts';

const ACTOR = 'system:repair';

export type AdminConsoleRepair = { action: 'recreated' } | { action: 'repaired'; breaks: string[] } | null;

/** Re-creates or repairs `thetasecure-admin-console`; returns what it did (null: nothing needed). */
export async function repairAdminConsole(clients: ClientStore, now: () => Date = () => new Date()): Promise<AdminConsoleRepair> {
  const provisioned = DEFAULT_CLIENTS.find((entry) => entry.clientId === ADMIN_CONSOLE_CLIENT_ID)!;
  const existing = await clients.get(ADMIN_CONSOLE_CLIENT_ID);
  if (!existing) {
    await clients.insertMany([prepareNewClient(provisioned.settings, { clientId: ADMIN_CONSOLE_CLIENT_ID, now: now() }).record], ACTOR);
    return { action: 'recreated' };
  }
  const breaks = adminConsoleBreakage(existing);
  if (breaks.length === 0) return null;
  // Keep what the admin chose (name, description, extra URIs and scopes); add back only what sign-in needs.
  const settings: ClientSettings = {
    name: existing.name,
    description: existing.description,
    kind: existing.kind,
    status: 'active',
    grantTypes: existing.grantTypes.includes('authorization_code') ? existing.grantTypes : ['authorization_code', ...existing.grantTypes],
    responseTypes: existing.responseTypes,
    redirectUris: hasAdminConsoleRedirectUri(existing.redirectUris) ? existing.redirectUris : [ADMIN_CONSOLE_REDIRECT_URI, ...existing.redirectUris],
    scopes: [...existing.scopes, ...ADMIN_CONSOLE_SCOPES.filter((scope) => !existing.scopes.includes(scope))],
    requireConsent: existing.requireConsent,
    tokenEndpointAuthMethod: existing.tokenEndpointAuthMethod,
  };
  await clients.update(ADMIN_CONSOLE_CLIENT_ID, existing.version, settings, ACTOR);
  return { action: 'repaired', breaks };
}
