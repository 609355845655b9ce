// The client resource of architecture §2 and the inputs that create or change one. The server
// validates requests with these functions and the form checks fields with them while the user
// types, so a rule exists once.
import { z } from 'zod';
import { GRANT_TYPES, RESPONSE_TYPES, SCOPE_NAME_PATTERN, SYNC_CONNECTOR_PRESET, isAvailableGrantType, isAvailableResponseType, grantTypeLabel, responseTypeLabel } from './catalogs.ts';
import type { GrantType, ResponseType } from './catalogs.ts';
import { canonicalRedirectUri, redirectUriListProblems } from './redirect-uris.ts';
import { textProblem, visibleText } from './text-rules.ts';
import { SecretMetaSchema, TokenEndpointAuthMethodSchema, authSettingsErrors, jwksInput, jwksUriInput, JwksSchema } from './client-auth.ts';
import type { Jwks, TokenEndpointAuthMethod } from './client-auth.ts';
import { labelListProblems, labelsInput } from './labels.ts';

export * from './client-auth.ts';

export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 500;
export const REDIRECT_URIS_MAX = 50;
export const SCOPES_MAX = 50;

export const ClientKindSchema = z.enum(['custom', 'sync_connector', 'default']);
export type ClientKind = z.infer<typeof ClientKindSchema>;
export const ClientStatusSchema = z.enum(['active', 'disabled']);
export type ClientStatus = z.infer<typeof ClientStatusSchema>;
export const GrantTypeSchema = z.enum(GRANT_TYPES);
export const ResponseTypeSchema = z.enum(RESPONSE_TYPES);

export const ClientSchema = z.object({
  clientId: z.string(),
  name: z.string(),
  description: z.string(),
  kind: ClientKindSchema,
  status: ClientStatusSchema,
  grantTypes: z.array(GrantTypeSchema),
  responseTypes: z.array(ResponseTypeSchema),
  redirectUris: z.array(z.string()),
  scopes: z.array(z.string()),
  requireConsent: z.boolean(),
  tokenEndpointAuthMethod: TokenEndpointAuthMethodSchema,
  /** private_key_jwt only: where the client publishes its public keys (https)... */
  jwksUri: z.string().nullable(),
  /** ... or the keys themselves (public RS256 / ES256 / EdDSA keys). Exactly one is set for private_key_jwt. */
  jwks: JwksSchema.nullable(),
  /** Up to 3 (SECRETS_MAX) for a client that authenticates with a secret; none for the others. */
  secrets: z.array(SecretMetaSchema),
  /** Ownership and environment tags (`team:payments`, `env:prod`), sorted; shared/labels.ts. Absent from older servers: []. */
  labels: z.array(z.string()).default([]),
  /** When the client last obtained a token (recorded at most once a minute; null: never). */
  lastUsedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int().positive(),
  /**
   * Where this client's last change stands in the server's change feed: a server-wide, strictly
   * increasing number assigned in the write's transaction (GET /api/v1/clients/changes).
   */
  changeSeq: z.number().int().nonnegative(),
});
export type Client = z.infer<typeof ClientSchema>;

// ---- inputs -------------------------------------------------------------------------------

// Names and descriptions are shown in lists, dialogs and audit records: no control characters
// (a description may keep line breaks; CRLF is stored as LF), no bidi overrides, no lone
// surrogates, and a name must have something visible once invisible characters are removed.
const name = z
  .string({ error: 'Client Name must be text.' })
  .trim()
  .min(1, { error: 'Enter a client name.' })
  .max(NAME_MAX, { error: `Client Name can be at most ${NAME_MAX} characters.` })
  .superRefine((value, ctx) => {
    // One message per field: the length checks above already spoke for empty or long names.
    if (value.length === 0 || value.length > NAME_MAX) return;
    const problem = textProblem(value, 'Client Name');
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
    else if (visibleText(value) === '') ctx.addIssue({ code: 'custom', message: 'Client Name has no visible characters: enter a name people can read.' });
  });
const description = z
  .string({ error: 'Description must be text.' })
  .transform((value) => value.replace(/\r\n/g, '\n'))
  .pipe(
    z
      .string()
      .trim()
      .max(DESCRIPTION_MAX, { error: `Description can be at most ${DESCRIPTION_MAX} characters.` })
      .superRefine((value, ctx) => {
        if (value.length > DESCRIPTION_MAX) return;
        const problem = textProblem(value, 'Description', { allowLineFeeds: true });
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  );
const redirectUris = z
  .array(z.string({ error: 'Each redirect URI must be text.' }), { error: 'Redirect URIs must be a list.' })
  .max(REDIRECT_URIS_MAX, { error: `At most ${REDIRECT_URIS_MAX} redirect URIs.` });
/**
 * A short, safe description of a value a client sent, for error text. Never JSON.stringify the
 * input itself: a list nested 5,000 levels deep overflowed the stack there (issue 9, item 5),
 * and a long value would be echoed whole.
 */
export function describeInput(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

const grantTypes = z.array(
  z.enum(GRANT_TYPES, { error: (issue) => (typeof issue.input === 'string' ? `Unknown grant type ${describeInput(issue.input)}.` : `Each grant type must be text, not ${describeInput(issue.input)}.`) }),
  { error: 'Grant Types must be a list.' },
);
const responseTypes = z.array(
  z.enum(RESPONSE_TYPES, { error: (issue) => (typeof issue.input === 'string' ? `Unknown response type ${describeInput(issue.input)}.` : `Each response type must be text, not ${describeInput(issue.input)}.`) }),
  { error: 'Response Types must be a list.' },
);
const scopes = z
  .array(z.string({ error: 'Each scope must be text.' }), { error: 'Scopes must be a list.' })
  .max(SCOPES_MAX, { error: `At most ${SCOPES_MAX} scopes.` });
const requireConsent = z.boolean({ error: 'Require User Consent must be true or false.' });
const status = z.enum(['active', 'disabled'], { error: 'Status must be "active" or "disabled".' });

export const CreateCustomClientInputSchema = z
  .object({
    kind: z.literal('custom').optional(),
    name,
    description: description.default(''),
    redirectUris: redirectUris.default([]),
    grantTypes,
    responseTypes: responseTypes.default(['token']),
    scopes,
    requireConsent: requireConsent.default(false),
    tokenEndpointAuthMethod: TokenEndpointAuthMethodSchema.default('client_secret_basic'),
    jwksUri: jwksUriInput.optional(),
    jwks: jwksInput.optional(),
    labels: labelsInput.default([]),
  })
  .strict();
export type CreateCustomClientInput = z.input<typeof CreateCustomClientInputSchema>;

export const CreateSyncConnectorInputSchema = z
  .object({ kind: z.literal('sync_connector'), name, description: description.default(''), labels: labelsInput.default([]) })
  .strict();
export type CreateSyncConnectorInput = z.input<typeof CreateSyncConnectorInputSchema>;

export type CreateClientInput = CreateCustomClientInput | CreateSyncConnectorInput;

export const UpdateClientInputSchema = z
  .object({
    name: name.optional(),
    description: description.optional(),
    redirectUris: redirectUris.optional(),
    grantTypes: grantTypes.optional(),
    responseTypes: responseTypes.optional(),
    scopes: scopes.optional(),
    requireConsent: requireConsent.optional(),
    status: status.optional(),
    // Custom clients only. Switching between the two secret methods keeps the secrets; switching
    // to private_key_jwt or none removes them (in the same write); switching from those to a
    // secret method leaves the client without a secret until POST .../secrets makes one.
    tokenEndpointAuthMethod: TokenEndpointAuthMethodSchema.optional(),
    // Naming either replaces the client's key source; null removes it.
    jwksUri: jwksUriInput.nullable().optional(),
    jwks: jwksInput.nullable().optional(),
    // Replaces the whole list.
    labels: labelsInput.optional(),
  })
  .strict();
export type UpdateClientInput = z.input<typeof UpdateClientInputSchema>;

/** The settable part of a client: what create and update produce once validated. */
export interface ClientSettings {
  name: string;
  description: string;
  kind: ClientKind;
  status: ClientStatus;
  grantTypes: GrantType[];
  responseTypes: ResponseType[];
  redirectUris: string[];
  scopes: string[];
  requireConsent: boolean;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** private_key_jwt's key source; absent means null. */
  jwksUri?: string | null;
  jwks?: Jwks | null;
  /** Labels (shared/labels.ts); absent means "keep what the client has" on update and [] on create. */
  labels?: string[];
}

// ---- validation ---------------------------------------------------------------------------

export interface FieldError {
  field: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export interface ValidationContext {
  /** Scope names the server offers (`GET /api/v1/scopes`). */
  scopeCatalog: readonly string[];
}

/** `['redirectUris', 1]` → `redirectUris[1]`; a problem with the whole body → `body`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || 'body';
}

/** zod issues as field errors; unknown keys are named one by one. */
export function zodFieldErrors(error: z.ZodError): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ field: fieldPath([...issue.path, key]), message: `Unknown field "${key}".` });
      }
    } else if (issue.code === 'invalid_type' && issue.path.length === 0) {
      errors.push({ field: 'body', message: 'The request body must be a JSON object.' });
    } else {
      errors.push({ field: fieldPath(issue.path), message: issue.message });
    }
  }
  return errors;
}

/**
 * Rules over a whole client that single fields cannot express. `previous` is the stored client
 * when updating: a default client may keep the "Coming Soon" values it was provisioned with.
 */
export function clientSettingsErrors(settings: ClientSettings, context: ValidationContext, previous?: Pick<Client, 'grantTypes' | 'responseTypes' | 'requireConsent'>): FieldError[] {
  const errors: FieldError[] = [];
  const grandfathered = settings.kind === 'default' ? previous : undefined;

  if (settings.grantTypes.length === 0) {
    errors.push({ field: 'grantTypes', message: 'Select at least one grant type.' });
  }
  const seenGrants = new Set<GrantType>();
  settings.grantTypes.forEach((grant, index) => {
    if (seenGrants.has(grant)) errors.push({ field: `grantTypes[${index}]`, message: `${grantTypeLabel(grant)} is listed twice.` });
    seenGrants.add(grant);
    if (!isAvailableGrantType(grant) && !grandfathered?.grantTypes.includes(grant)) {
      errors.push({ field: `grantTypes[${index}]`, message: `${grantTypeLabel(grant)} is coming soon and cannot be selected yet.` });
    }
  });
  errors.push(...authSettingsErrors(settings));

  const seenResponses = new Set<ResponseType>();
  settings.responseTypes.forEach((type, index) => {
    if (seenResponses.has(type)) errors.push({ field: `responseTypes[${index}]`, message: `${responseTypeLabel(type)} is listed twice.` });
    seenResponses.add(type);
    if (!isAvailableResponseType(type) && !grandfathered?.responseTypes.includes(type)) {
      errors.push({ field: `responseTypes[${index}]`, message: `${responseTypeLabel(type)} is coming soon and cannot be selected yet.` });
    }
  });

  if (settings.requireConsent && !grandfathered?.requireConsent) {
    errors.push({ field: 'requireConsent', message: 'Require User Consent is coming soon and cannot be switched on yet.' });
  }

  for (const [index, message] of redirectUriListProblems(settings.redirectUris)) {
    errors.push({ field: `redirectUris[${index}]`, message });
  }
  if (settings.grantTypes.includes('authorization_code') && settings.redirectUris.length === 0) {
    errors.push({ field: 'redirectUris', message: 'Authorization Code needs at least one redirect URI.' });
  }

  for (const [index, message] of labelListProblems(settings.labels ?? [])) {
    errors.push({ field: index === null ? 'labels' : `labels[${index}]`, message });
  }

  if (settings.scopes.length === 0) {
    errors.push({ field: 'scopes', message: 'Add at least one scope.' });
  }
  const seenScopes = new Set<string>();
  settings.scopes.forEach((scope, index) => {
    const problem = scopeProblem(scope, context.scopeCatalog);
    if (problem) errors.push({ field: `scopes[${index}]`, message: problem });
    else if (seenScopes.has(scope)) errors.push({ field: `scopes[${index}]`, message: `The scope "${scope}" is listed twice.` });
    seenScopes.add(scope);
  });
  return errors;
}

/** Why one scope cannot be added, or null. */
export function scopeProblem(scope: string, scopeCatalog: readonly string[]): string | null {
  if (!SCOPE_NAME_PATTERN.test(scope)) return `"${scope}" is not a valid scope name.`;
  if (!scopeCatalog.includes(scope)) return `Unknown scope "${scope}": it is not in this server's scope catalog.`;
  return null;
}

/** Validates a create request (custom, or sync connector when `kind` says so). */
export function validateCreateClient(body: unknown, context: ValidationContext): Validation<ClientSettings> {
  const isSync = typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'sync_connector';
  if (isSync) {
    const parsed = CreateSyncConnectorInputSchema.safeParse(body);
    if (!parsed.success) return { ok: false, errors: zodFieldErrors(parsed.error) };
    const labelErrors = labelListProblems(parsed.data.labels).map(([index, message]) => ({ field: index === null ? 'labels' : `labels[${index}]`, message }));
    if (labelErrors.length) return { ok: false, errors: labelErrors };
    return {
      ok: true,
      value: {
        ...SYNC_CONNECTOR_PRESET,
        name: parsed.data.name,
        description: parsed.data.description,
        status: 'active',
        grantTypes: [...SYNC_CONNECTOR_PRESET.grantTypes],
        responseTypes: [...SYNC_CONNECTOR_PRESET.responseTypes],
        redirectUris: [],
        scopes: [...SYNC_CONNECTOR_PRESET.scopes],
        jwksUri: null,
        jwks: null,
        labels: [...parsed.data.labels].sort(),
      },
    };
  }
  const parsed = CreateCustomClientInputSchema.safeParse(body);
  if (!parsed.success) {
    // Report every problem at once: the cross-field rules run on the fields that did parse.
    const shapeErrors = zodFieldErrors(parsed.error);
    const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const partial: ClientSettings = {
      name: 'x',
      description: '',
      kind: 'custom',
      status: 'active',
      grantTypes: parsedOr(grantTypes, raw.grantTypes, []),
      responseTypes: parsedOr(responseTypes, raw.responseTypes, ['token']),
      redirectUris: parsedOr(redirectUris, raw.redirectUris, []),
      scopes: parsedOr(scopes, raw.scopes, []),
      requireConsent: parsedOr(requireConsent, raw.requireConsent, false),
      tokenEndpointAuthMethod: parsedOr(TokenEndpointAuthMethodSchema, raw.tokenEndpointAuthMethod, 'client_secret_basic'),
      // A key source that was sent but did not parse still counts as given (its own error says why).
      jwksUri: parsedOr(jwksUriInput.nullable(), raw.jwksUri ?? null, raw.jwksUri === undefined ? null : 'https://unparsed.invalid/'),
      jwks: parsedOr(jwksInput.nullable(), raw.jwks ?? null, raw.jwks === undefined ? null : { keys: [] }),
      labels: parsedOr(labelsInput, raw.labels, []),
    };
    return { ok: false, errors: mergeErrors(shapeErrors, clientSettingsErrors(partial, context)) };
  }
  const settings: ClientSettings = {
    name: parsed.data.name,
    description: parsed.data.description,
    kind: 'custom',
    status: 'active',
    grantTypes: parsed.data.grantTypes,
    responseTypes: parsed.data.responseTypes,
    redirectUris: parsed.data.redirectUris,
    scopes: parsed.data.scopes,
    requireConsent: parsed.data.requireConsent,
    tokenEndpointAuthMethod: parsed.data.tokenEndpointAuthMethod,
    jwksUri: parsed.data.jwksUri ?? null,
    jwks: parsed.data.jwks ?? null,
    labels: parsed.data.labels,
  };
  const errors = clientSettingsErrors(settings, context);
  return errors.length ? { ok: false, errors } : { ok: true, value: canonical(settings) };
}

/** What is stored is what was checked: redirect URIs in their canonical (parsed) form. */
function canonical(settings: ClientSettings): ClientSettings {
  // Labels are a set: kept sorted, so two lists with the same labels compare equal (audit, import).
  return { ...settings, redirectUris: settings.redirectUris.map(canonicalRedirectUri), ...(settings.labels ? { labels: [...settings.labels].sort() } : {}) };
}

function parsedOr<T>(schema: z.ZodType<T>, value: unknown, fallback: T): T {
  const result = schema.safeParse(value);
  return result.success ? result.data : fallback;
}

function rootField(field: string): string {
  return field.split(/[.[]/)[0] ?? field;
}

/** Shape errors first; rule errors only for fields the shape check did not already name. */
function mergeErrors(shapeErrors: FieldError[], ruleErrors: FieldError[]): FieldError[] {
  const named = new Set(shapeErrors.map((e) => rootField(e.field)));
  return [...shapeErrors, ...ruleErrors.filter((e) => !named.has(rootField(e.field)))];
}

/** Validates a PATCH against the stored client; the result is the client's new settings. */
export function validateClientUpdate(existing: Client, body: unknown, context: ValidationContext): Validation<ClientSettings> {
  const parsed = UpdateClientInputSchema.safeParse(body);
  if (!parsed.success) return { ok: false, errors: zodFieldErrors(parsed.error) };
  const patch = parsed.data;
  if (existing.kind === 'sync_connector') {
    // The preset is what makes a client a Sync Connector; only its label and status change.
    const fixed = (['redirectUris', 'grantTypes', 'responseTypes', 'scopes', 'requireConsent'] as const).filter((key) => patch[key] !== undefined);
    if (fixed.length) {
      return { ok: false, errors: fixed.map((field) => ({ field, message: 'A Sync Connector client keeps its preset; create a Custom Client to choose this.' })) };
    }
  }
  if (existing.kind !== 'custom') {
    const fixed = (['tokenEndpointAuthMethod', 'jwksUri', 'jwks'] as const).filter((key) => patch[key] !== undefined);
    if (fixed.length) {
      const what = existing.kind === 'default' ? 'A default client' : 'A Sync Connector client';
      return { ok: false, errors: fixed.map((field) => ({ field, message: `${what} keeps its client authentication; only a Custom Client can change it.` })) };
    }
  }
  const method = patch.tokenEndpointAuthMethod ?? existing.tokenEndpointAuthMethod;
  const namesKeys = patch.jwksUri !== undefined || patch.jwks !== undefined;
  // Keys belong to private_key_jwt: kept while it stays, replaced when the patch names them,
  // dropped when the method changes away (a patch that names them anyway is refused below).
  const keys =
    namesKeys || method !== 'private_key_jwt'
      ? { jwksUri: patch.jwksUri ?? null, jwks: patch.jwks ?? null }
      : { jwksUri: existing.jwksUri, jwks: existing.jwks };
  const settings: ClientSettings = {
    name: patch.name ?? existing.name,
    description: patch.description ?? existing.description,
    kind: existing.kind,
    status: patch.status ?? existing.status,
    grantTypes: patch.grantTypes ?? existing.grantTypes,
    responseTypes: patch.responseTypes ?? existing.responseTypes,
    redirectUris: patch.redirectUris ?? existing.redirectUris,
    scopes: patch.scopes ?? existing.scopes,
    requireConsent: patch.requireConsent ?? existing.requireConsent,
    tokenEndpointAuthMethod: method,
    ...keys,
    labels: patch.labels ?? existing.labels,
  };
  const errors = clientSettingsErrors(settings, context, existing);
  return errors.length ? { ok: false, errors } : { ok: true, value: canonical(settings) };
}

// ---- list queries -------------------------------------------------------------------------

export const CLIENT_SORT_KEYS = ['name', 'clientId', 'status', 'kind', 'createdAt', 'updatedAt'] as const;
export type ClientSortKey = (typeof CLIENT_SORT_KEYS)[number];
export const ClientSortSchema = z.enum([...CLIENT_SORT_KEYS, ...CLIENT_SORT_KEYS.map((key) => `-${key}` as const)] as [string, ...string[]], {
  error: `sort must be one of ${CLIENT_SORT_KEYS.join(', ')}, optionally prefixed with "-".`,
});

export const ListClientsQuerySchema = z
  .object({
    // No name or client id holds a control character, so such a search can match nothing; and a
    // NUL made the full-text phrase fail with a 500 (issue 9, item 5). Refused, naming q.
    q: z
      .string()
      .max(200, { error: 'q can be at most 200 characters.' })
      // eslint-disable-next-line no-control-regex
      .refine((value) => !/[\u0000-\u001f\u007f-\u009f]/.test(value), { error: 'q cannot contain control characters.' })
      .optional(),
    grantType: GrantTypeSchema.optional(),
    status: ClientStatusSchema.optional(),
    kind: ClientKindSchema.optional(),
    sort: ClientSortSchema.optional(),
    limit: z.coerce.number({ error: 'limit must be a number.' }).int({ error: 'limit must be a whole number.' }).min(1, { error: 'limit must be at least 1.' }).max(500, { error: 'limit can be at most 500.' }).optional(),
    cursor: z.string().max(500).optional(),
  })
  .strict();
export type ListClientsQuery = z.infer<typeof ListClientsQuerySchema>;

export const ClientPageSchema = z.object({
  items: z.array(ClientSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().nonnegative(),
});
export type ClientPage = z.infer<typeof ClientPageSchema>;

// ---- change feed --------------------------------------------------------------------------

export const CHANGES_LIMIT_MAX = 5_000;
export const CHANGES_LIMIT_DEFAULT = 1_000;

export const ClientChangesQuerySchema = z
  .object({
    since: z.coerce.number({ error: 'since must be a number.' }).int({ error: 'since must be a whole number.' }).min(0, { error: 'since must be 0 or more.' }).max(Number.MAX_SAFE_INTEGER, { error: 'since is too large.' }).default(0),
    limit: z.coerce
      .number({ error: 'limit must be a number.' })
      .int({ error: 'limit must be a whole number.' })
      .min(1, { error: 'limit must be at least 1.' })
      .max(CHANGES_LIMIT_MAX, { error: `limit can be at most ${CHANGES_LIMIT_MAX}.` })
      .default(CHANGES_LIMIT_DEFAULT),
  })
  .strict();
export type ClientChangesQuery = z.infer<typeof ClientChangesQuerySchema>;

/**
 * One page of GET /api/v1/clients/changes: the clients changed and the ids deleted after
 * `since`, in changeSeq order. `total` (clients that exist now) and `lastSeq` (the newest
 * changeSeq on the server) let a caller show how far a sync has come.
 */
export const ClientChangesSchema = z.object({
  items: z.array(ClientSchema),
  deleted: z.array(z.string()),
  nextSince: z.number().int().nonnegative(),
  hasMore: z.boolean(),
  total: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
});
export type ClientChanges = z.infer<typeof ClientChangesSchema>;

export const CreateClientResponseSchema = z.object({
  client: ClientSchema,
  clientSecret: z.string().optional(),
});
export type CreateClientResponse = z.infer<typeof CreateClientResponseSchema>;

export const ScopeCatalogSchema = z.object({
  items: z.array(z.object({ name: z.string(), description: z.string() })),
});

export const MeSchema = z.object({
  subject: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  scopes: z.array(z.string()),
});
export type Me = z.infer<typeof MeSchema>;
