// First start: the five default clients of architecture §2 and the users admin and helpdesk,
// exactly once (a default client deleted later stays deleted). Passwords and the two confidential
// default clients' secrets come from the configuration or are generated; generated ones are
// returned so the CLI can print them once. Configured values are applied again on every start,
// so changing THETASECURE_ADMIN_PASSWORD and restarting changes the password.
import type { ClientSettings } from '../shared/client.ts';
import type { ClientStore } from './client-store.ts';
import type { MetaStore } from './backend.ts';
import { prepareNewClient, storedSecret } from './new-client.ts';
import { clientSecretMatches, generateClientSecret, generatePassword } from './secrets/secret-values.ts';
import type { User, UserStore } from './user-store.ts';

export const ADMIN_CLIENT_ID = 'ts_admin_client';
export const SYNC_CLIENT_ID = 'ts_sync_client';
export const MOBILE_APP_CLIENT_ID = 'thetasecure-mobile-app';
export const DESKTOP_AGENT_CLIENT_ID = 'thetasecure-desktop-agent';
export const ADMIN_CONSOLE_CLIENT_ID = 'thetasecure-admin-console';
export const ADMIN_CONSOLE_REDIRECT_URI = 'http://127.0.0.1/callback';

const defaults = {
  kind: 'default',
  status: 'active',
  description: '',
  requireConsent: false,
} as const;

export const DEFAULT_CLIENTS: readonly { clientId: string; settings: ClientSettings }[] = [
  {
    clientId: ADMIN_CLIENT_ID,
    settings: {
      ...defaults,
      name: 'Admin Client',
      description: 'Administrative API access for platform management operations.',
      grantTypes: ['client_credentials'],
      responseTypes: ['token'],
      redirectUris: [],
      scopes: ['clients:read', 'clients:write'],
      tokenEndpointAuthMethod: 'client_secret_basic',
    },
  },
  {
    clientId: SYNC_CLIENT_ID,
    settings: {
      ...defaults,
      name: 'Sync Service Client',
      description: 'Internal service communication for directory synchronization.',
      grantTypes: ['client_credentials'],
      responseTypes: ['token'],
      redirectUris: [],
      scopes: ['directory:read', 'directory:write'],
      tokenEndpointAuthMethod: 'client_secret_basic',
    },
  },
  {
    clientId: MOBILE_APP_CLIENT_ID,
    settings: {
      ...defaults,
      name: 'ThetaSecure Mobile App',
      description: 'End user authentication from the ThetaSecure mobile application.',
      grantTypes: ['authorization_code', 'refresh_token'],
      responseTypes: ['code'],
      redirectUris: ['com.thetasecure.mobile:/oauth2/callback'],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      tokenEndpointAuthMethod: 'none',
    },
  },
  {
    clientId: DESKTOP_AGENT_CLIENT_ID,
    settings: {
      ...defaults,
      name: 'ThetaSecure Desktop Agent',
      description: 'End user authentication from the ThetaSecure desktop agent.',
      grantTypes: ['authorization_code', 'refresh_token'],
      responseTypes: ['code'],
      redirectUris: ['http://127.0.0.1/agent/callback'],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      tokenEndpointAuthMethod: 'none',
    },
  },
  {
    clientId: ADMIN_CONSOLE_CLIENT_ID,
    settings: {
      ...defaults,
      name: 'ThetaSecure Admin Console',
      description: 'The ThetaSecure Admin desktop app: manages OAuth clients through the admin API.',
      grantTypes: ['authorization_code', 'refresh_token'],
      responseTypes: ['code'],
      redirectUris: [ADMIN_CONSOLE_REDIRECT_URI],
      scopes: ['openid', 'profile', 'offline_access', 'clients:read', 'clients:write'],
      tokenEndpointAuthMethod: 'none',
    },
  },
];

export const DEFAULT_USERS: readonly User[] = [
  { username: 'admin', name: 'Administrator', role: 'admin' },
  { username: 'helpdesk', name: 'Helpdesk', role: 'helpdesk' },
];

export interface ConfiguredCredentials {
  adminPassword?: string;
  helpdeskPassword?: string;
  adminClientSecret?: string;
  syncClientSecret?: string;
}

/** What was generated on this start (first start only); printed once by the CLI. */
export interface GeneratedCredentials {
  adminPassword?: string;
  helpdeskPassword?: string;
  adminClientSecret?: string;
  syncClientSecret?: string;
}

const PROVISIONED = 'provisioned_at';
const ACTOR = 'system:provisioning';

export async function provision(meta: MetaStore, clients: ClientStore, users: UserStore, configured: ConfiguredCredentials, now: () => Date = () => new Date()): Promise<GeneratedCredentials | null> {
  if (await meta.get(PROVISIONED)) {
    await applyConfiguredCredentials(clients, users, configured, now);
    return null;
  }
  const generated: GeneratedCredentials = {};
  const secretFor = (clientId: string): string | undefined => {
    if (clientId === ADMIN_CLIENT_ID) return configured.adminClientSecret ?? (generated.adminClientSecret = generateClientSecret());
    if (clientId === SYNC_CLIENT_ID) return configured.syncClientSecret ?? (generated.syncClientSecret = generateClientSecret());
    return undefined;
  };
  const missing = [];
  for (const { clientId, settings } of DEFAULT_CLIENTS) {
    if (await clients.get(clientId)) continue;
    missing.push(prepareNewClient(settings, { clientId, secret: secretFor(clientId), now: now() }).record);
  }
  await clients.insertMany(missing, ACTOR);

  for (const user of DEFAULT_USERS) {
    if (await users.find(user.username)) continue;
    let password = user.username === 'admin' ? configured.adminPassword : configured.helpdeskPassword;
    if (!password) {
      password = generatePassword();
      if (user.username === 'admin') generated.adminPassword = password;
      else generated.helpdeskPassword = password;
    }
    await users.create(user, password);
  }
  await meta.set(PROVISIONED, now().toISOString());
  return Object.keys(generated).length ? generated : null;
}

async function applyConfiguredCredentials(clients: ClientStore, users: UserStore, configured: ConfiguredCredentials, now: () => Date): Promise<void> {
  if (configured.adminPassword) await users.setPassword('admin', configured.adminPassword);
  if (configured.helpdeskPassword) await users.setPassword('helpdesk', configured.helpdeskPassword);
  for (const [clientId, secret] of [
    [ADMIN_CLIENT_ID, configured.adminClientSecret],
    [SYNC_CLIENT_ID, configured.syncClientSecret],
  ] as const) {
    if (!secret) continue;
    const found = await clients.getWithSecretHashes(clientId);
    if (!found || clientSecretMatches(secret, found.secretHashes)) continue;
    await clients.replaceSecret(clientId, storedSecret(secret, now().toISOString()), 'system:environment');
  }
}
