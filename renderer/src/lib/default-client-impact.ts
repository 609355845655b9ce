// Changing a default client's status, grant types, redirect URIs or scopes can stop the platform
// from working — for the admin console, it can lock every administrator out of this app. Such a
// change asks for the same typed confirmation as deleting the client, and says first what will
// stop working. (The server refuses the changes that would lock everyone out with a 409 whose
// detail the form shows; this is the warning before that line, for every default client.)
import type { Client, UpdateClientInput } from '../../../shared/client.ts';

export const GUARDED_DEFAULT_CLIENT_FIELDS = ['status', 'grantTypes', 'redirectUris', 'scopes'] as const;
export type GuardedField = (typeof GUARDED_DEFAULT_CLIENT_FIELDS)[number];

const FIELD_LABELS: Record<GuardedField, string> = {
  status: 'Status',
  grantTypes: 'Grant Types',
  redirectUris: 'Redirect URIs',
  scopes: 'Scopes',
};

const IMPACT: Record<string, string> = {
  'thetasecure-admin-console':
    'ThetaSecure Admin signs in with this client: disabling it, or removing its Authorization Code grant, its loopback redirect URI or its clients:read / clients:write scopes, signs every administrator out of this app and keeps them out.',
  ts_admin_client: 'API automation using its secret (scripts, CI jobs and provisioning tools that manage clients) will stop getting tokens, or get tokens that can no longer read or change clients.',
  ts_sync_client: 'Directory synchronization using its secret will stop: the sync service can no longer get tokens to read or write the directory.',
  'thetasecure-mobile-app': 'The ThetaSecure Mobile App signs people in with this client: they will no longer be able to sign in on their phones, or stay signed in.',
  'thetasecure-desktop-agent': 'The ThetaSecure Desktop Agent connects with this client: agents on desktops will no longer be able to sign in or renew their sessions.',
};

/** The guarded fields a change to a default client touches (none for other kinds). */
export function guardedChanges(original: Pick<Client, 'kind'>, changes: UpdateClientInput): GuardedField[] {
  if (original.kind !== 'default') return [];
  return GUARDED_DEFAULT_CLIENT_FIELDS.filter((field) => changes[field] !== undefined);
}

export function guardedFieldLabels(fields: readonly GuardedField[]): string {
  return fields.map((field) => FIELD_LABELS[field]).join(', ');
}

/** What stops working when this default client changes, in words for the confirmation. */
export function defaultClientImpact(clientId: string): string {
  return IMPACT[clientId] ?? 'The platform features that use this client may stop working.';
}
