// Export and import of clients (issue 11): a versioned JSON document that holds clients'
// settings, never a secret or a hash, and the per-client plan an import makes of it.
import { z } from 'zod';
import { ClientKindSchema, ClientStatusSchema, GrantTypeSchema, ResponseTypeSchema, TokenEndpointAuthMethodSchema } from './client.ts';
import type { Client } from './client.ts';
import { JwksSchema } from './client-auth.ts';

export const EXPORT_FORMAT = 'thetasecure-clients';
export const EXPORT_VERSION = 1;
export const EXPORT_MAX = 1_000;
export const IMPORT_MAX = 5_000;

/** One client as exported: its settings and identity, no secrets, no bookkeeping. */
export const ExportedClientSchema = z.object({
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
  jwksUri: z.string().nullable(),
  jwks: JwksSchema.nullable(),
  labels: z.array(z.string()),
});
export type ExportedClient = z.infer<typeof ExportedClientSchema>;

export const ExportDocumentSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: z.string(),
  clients: z.array(ExportedClientSchema),
});
export type ExportDocument = z.infer<typeof ExportDocumentSchema>;

/** What an import reads first: the envelope; each client is then checked on its own. */
export const ImportDocumentSchema = z.object({
  format: z.literal(EXPORT_FORMAT, { error: `format must be "${EXPORT_FORMAT}" (a file exported by ThetaSecure Admin).` }),
  version: z.literal(EXPORT_VERSION, { error: `version must be ${EXPORT_VERSION}: this server reads version ${EXPORT_VERSION} exports.` }),
  exportedAt: z.string({ error: 'exportedAt must be text.' }).max(100).optional(),
  clients: z.array(z.unknown(), { error: 'clients must be a list.' }).max(IMPORT_MAX, { error: `At most ${IMPORT_MAX} clients in one import.` }),
});

export function exportedClient(client: Client): ExportedClient {
  return {
    clientId: client.clientId,
    name: client.name,
    description: client.description,
    kind: client.kind,
    status: client.status,
    grantTypes: client.grantTypes,
    responseTypes: client.responseTypes,
    redirectUris: client.redirectUris,
    scopes: client.scopes,
    requireConsent: client.requireConsent,
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
    jwksUri: client.jwksUri,
    jwks: client.jwks,
    labels: client.labels,
  };
}

export const IMPORT_OUTCOMES = ['create', 'update', 'unchanged', 'conflict', 'invalid'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

export const ImportPlanItemSchema = z.object({
  /** Position in the document's clients list. */
  index: z.number().int().nonnegative(),
  clientId: z.string().nullable(),
  name: z.string().nullable(),
  outcome: z.enum(IMPORT_OUTCOMES),
  /** update: the fields that would change. */
  fields: z.array(z.string()).optional(),
  /** invalid: what is wrong, field by field (`clients[3].redirectUris[0]`). */
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  /** conflict: why it cannot be imported as it is. */
  reason: z.string().optional(),
});
export type ImportPlanItem = z.infer<typeof ImportPlanItemSchema>;

export const ImportResultSchema = z.object({
  dryRun: z.boolean(),
  /** True when the plan was written (never for a dry run, never when any entry is a conflict or invalid). */
  applied: z.boolean(),
  summary: z.record(z.enum(IMPORT_OUTCOMES), z.number().int().nonnegative()),
  items: z.array(ImportPlanItemSchema),
  /** Created confidential clients' new secrets, in clear this once (absent for a dry run). */
  secrets: z.array(z.object({ clientId: z.string(), name: z.string(), clientSecret: z.string() })).optional(),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;
