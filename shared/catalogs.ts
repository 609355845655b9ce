// The catalogs of the product page (../shared/spec/oauth-clients-page.txt): which grant and
// response types exist, what they are called in the UI, and which ones can be chosen today.

export type Availability = 'available' | 'coming_soon';

export const GRANT_TYPES = [
  'authorization_code',
  'client_credentials',
  'password',
  'refresh_token',
  'implicit',
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export interface CatalogEntry<T extends string> {
  id: T;
  label: string;
  availability: Availability;
  description: string;
}

export const GRANT_TYPE_CATALOG: readonly CatalogEntry<GrantType>[] = [
  { id: 'authorization_code', label: 'Authorization Code', availability: 'available', description: 'Standard OAuth 2.0 flow for web applications. Requires a redirect URI and involves user interaction.' },
  { id: 'client_credentials', label: 'Client Credentials', availability: 'available', description: 'Machine to machine authentication with no user interaction. Suitable for backend services and automated processes.' },
  { id: 'password', label: 'Password', availability: 'coming_soon', description: 'Direct username/password grant.' },
  { id: 'refresh_token', label: 'Refresh Token', availability: 'coming_soon', description: 'Enables token refresh capability for long lived sessions.' },
  { id: 'implicit', label: 'Implicit', availability: 'coming_soon', description: 'Legacy flow for single page applications. Not recommended for new implementations.' },
];

export const RESPONSE_TYPES = ['token', 'code'] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

export const RESPONSE_TYPE_CATALOG: readonly CatalogEntry<ResponseType>[] = [
  { id: 'token', label: 'Token', availability: 'available', description: "Access tokens (and ID and refresh tokens, where granted) are returned in the token endpoint's answer: directly for Client Credentials, after the code is exchanged for Authorization Code. Never in the redirect URI." },
  { id: 'code', label: 'Code', availability: 'coming_soon', description: 'The authorization endpoint returns a one-time authorization code to the redirect URI, which the client exchanges (with PKCE) at the token endpoint. Authorization Code clients already receive it.' },
];

/** "Require User Consent" is shown in the form but cannot be switched on yet. */
export const REQUIRE_CONSENT_AVAILABILITY: Availability = 'coming_soon';

export function grantTypeLabel(id: GrantType): string {
  return GRANT_TYPE_CATALOG.find((g) => g.id === id)?.label ?? id;
}

export function responseTypeLabel(id: ResponseType): string {
  return RESPONSE_TYPE_CATALOG.find((r) => r.id === id)?.label ?? id;
}

export function isAvailableGrantType(id: GrantType): boolean {
  return GRANT_TYPE_CATALOG.some((g) => g.id === id && g.availability === 'available');
}

export function isAvailableResponseType(id: ResponseType): boolean {
  return RESPONSE_TYPE_CATALOG.some((r) => r.id === id && r.availability === 'available');
}

export interface ScopeEntry {
  name: string;
  description: string;
}

/** The scopes every ThetaSecure server offers; `GET /api/v1/scopes` is the source of truth. */
export const BUILTIN_SCOPES: readonly ScopeEntry[] = [
  { name: 'openid', description: 'Sign the user in (OpenID Connect).' },
  { name: 'profile', description: "The user's name and profile claims." },
  { name: 'email', description: "The user's email address." },
  { name: 'offline_access', description: 'Refresh tokens for long lived sessions.' },
  { name: 'clients:read', description: 'Read OAuth clients through the admin API.' },
  { name: 'clients:write', description: 'Create, change and delete OAuth clients.' },
  { name: 'directory:read', description: 'Read users and groups of the directory.' },
  { name: 'directory:write', description: 'Change users and groups of the directory (directory sync).' },
];

/** Scope names: RFC 6749 §3.3 scope-token characters, kept to a readable subset. */
export const SCOPE_NAME_PATTERN = /^[A-Za-z0-9_.:\-/]{1,100}$/;

/** What a Sync Connector client gets, whatever the caller asks (product page, "Creating a Client"). */
export const SYNC_CONNECTOR_PRESET = {
  kind: 'sync_connector',
  grantTypes: ['client_credentials'],
  responseTypes: ['token'],
  redirectUris: [],
  scopes: ['directory:read', 'directory:write'],
  requireConsent: false,
  tokenEndpointAuthMethod: 'client_secret_basic',
} as const;
