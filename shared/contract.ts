// The one contract between the renderer and whatever hosts the services (Electron's main
// process, or serve mode). Each method has an input and an output schema; the preload, the
// Electron handlers, serve mode's routes and the renderer's types are all derived from this
// object by looping over it, so a method cannot exist in one place and be missing in another.
import { z } from 'zod';
import { ClientSchema, CreateCustomClientInputSchema, CreateSyncConnectorInputSchema, RotateSecretInputSchema, UpdateClientInputSchema, zodFieldErrors } from './client.ts';
import { BATCH_ACTIONS, BatchResultSchema } from './client-batch.ts';
import { ImportPlanItemSchema, IMPORT_OUTCOMES } from './client-transfer.ts';
import { HistoryPageSchema } from './history.ts';

export const ERROR_CODES = [
  'unauthenticated', // no session, or the server no longer accepts it
  'forbidden', // signed in, but the role does not allow it (helpdesk writing)
  'not_found',
  'gone', // the server no longer keeps what was asked for (a change-feed position too old)
  'conflict', // stale version: someone else changed the client
  'confirmation_required', // a default client was touched without the explicit confirmation
  'validation', // bad input; `fields` names each bad field
  'offline', // the server cannot be reached
  'unavailable', // something this computer should provide is missing (no clipboard): the message says what to do instead
  'timeout',
  'cancelled',
  'rate_limited',
  'server', // the server answered with an error we do not map
  'internal', // a bug on our side
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const FieldErrorSchema = z.object({ field: z.string(), message: z.string() });
export const ContractErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  fields: z.array(FieldErrorSchema).optional(),
});
export type ContractError = z.infer<typeof ContractErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}
export function fail<T = never>(code: ErrorCode, message: string, fields?: ContractError['fields']): Result<T> {
  return { ok: false, error: fields ? { code, message, fields } : { code, message } };
}

// ---- shapes ---------------------------------------------------------------------------------

const Empty = z.object({}).strict();

export const RoleSchema = z.string();
export const SessionUserSchema = z.object({
  subject: z.string(),
  name: z.string(),
  roles: z.array(RoleSchema),
});

export const SessionSchema = z.object({
  status: z.enum(['signed-out', 'signing-in', 'signed-in']),
  issuer: z.string(),
  user: SessionUserSchema.nullable(),
  /** admin role: may create, edit and delete. helpdesk: read-only. */
  canWrite: z.boolean(),
  /** The refresh token is in the OS keychain: the next start signs in silently. */
  remembered: z.boolean(),
  /** False when no Secret Service / keychain answers: nothing is remembered or cached on disk. */
  keychainAvailable: z.boolean(),
});
export type Session = z.infer<typeof SessionSchema>;

export const ConnectivitySchema = z.object({
  online: z.boolean(),
  since: z.string(),
});
export type Connectivity = z.infer<typeof ConnectivitySchema>;

export const SettingsSchema = z.object({
  issuerUrl: z.string(),
  clipboardClearSeconds: z.number().int().min(5).max(600),
  cacheTtlDays: z.number().int().min(1).max(90),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsPatchSchema = z
  .object({
    issuerUrl: z.string({ error: 'Issuer URL must be text.' }).trim().min(1, { error: 'Enter the issuer URL.' }).max(2000).optional(),
    clipboardClearSeconds: z.number({ error: 'Clear clipboard after must be a number of seconds.' }).int({ error: 'Clear clipboard after must be whole seconds.' }).min(5, { error: 'Clear clipboard after must be at least 5 seconds.' }).max(600, { error: 'Clear clipboard after can be at most 600 seconds.' }).optional(),
    cacheTtlDays: z.number({ error: 'Offline cache lifetime must be a number of days.' }).int({ error: 'Offline cache lifetime must be whole days.' }).min(1, { error: 'Offline cache lifetime must be at least 1 day.' }).max(90, { error: 'Offline cache lifetime can be at most 90 days.' }).optional(),
  })
  .strict();

/**
 * How the host's replica of the client list stands against the server.
 * - `offline`: the server cannot be reached; the replica is shown as it was at `syncedAt`.
 * - `snapshot`: taking the whole list (first sign-in, or the server's history no longer
 *   reaches back to the replica's position); `received` of `expected` so far.
 * - `catching-up`: reading the changes made since the replica was last in step.
 * - `live`: in step, and told of every change by the server's event stream.
 * - `polling`: in step, but the event stream cannot be held: the change feed is read every 30 s.
 */
export const SyncStateSchema = z.object({
  phase: z.enum(['signed-out', 'offline', 'snapshot', 'catching-up', 'live', 'polling']),
  received: z.number().int().nonnegative(),
  expected: z.number().int().nonnegative().nullable(),
  /** When the replica was last known to be in step with the server; null before the first full sync. */
  syncedAt: z.string().nullable(),
  /** The server change-feed position the replica has read up to. */
  seq: z.number().int().nonnegative(),
  /** False when the replica cannot be kept on disk (no keychain to hold its key). */
  persisted: z.boolean(),
});
export type SyncState = z.infer<typeof SyncStateSchema>;

/**
 * The whole replica, taken once per window load; afterwards `clients:changed` events carry
 * only what changed. `rev` orders the two: an event whose `rev` is not above the snapshot's is
 * already in it.
 */
export const ClientSnapshotSchema = z.object({
  rev: z.number().int().nonnegative(),
  items: z.array(ClientSchema),
  /** False while the first full sync is still running: an empty `items` then does not mean "no clients". */
  complete: z.boolean(),
  sync: SyncStateSchema,
});
export type ClientSnapshot = z.infer<typeof ClientSnapshotSchema>;

/**
 * A window's first screen, asked before the snapshot: the first clients of the table's default
 * order (Created, newest first), shown while the whole list is still on its way.
 */
export const ClientHeadSchema = z.object({
  items: z.array(ClientSchema),
  /** How many clients the replica holds. */
  total: z.number().int().nonnegative(),
  complete: z.boolean(),
});
export type ClientHead = z.infer<typeof ClientHeadSchema>;
export const CLIENT_HEAD_MAX = 200;

export const ClientsChangedSchema = z.object({
  rev: z.number().int().positive(),
  /** Clients created or changed, as they are now. */
  upserts: z.array(ClientSchema),
  /** Ids of clients that no longer exist. */
  deleted: z.array(z.string()),
  /** `local`: this app made the change (the API's own answer); `remote`: someone else, seen through the change feed. */
  origin: z.enum(['local', 'remote']),
});
export type ClientsChanged = z.infer<typeof ClientsChangedSchema>;

/**
 * Where the issuer's OAuth endpoints are, from its discovery document
 * (`/.well-known/openid-configuration`): what an application registered here is configured with.
 */
export const ServerEndpointsSchema = z.object({
  issuer: z.string(),
  authorizationEndpoint: z.string(),
  tokenEndpoint: z.string(),
  jwksUri: z.string(),
  /** `live`: read from the server now; `cache`: the last document read, while the server cannot be reached. */
  source: z.enum(['live', 'cache']),
});
export type ServerEndpoints = z.infer<typeof ServerEndpointsSchema>;

export const SecretHandleSchema = z.object({ handle: z.string(), hint: z.string() });

const clientId = z.string({ error: 'clientId must be text.' }).min(1, { error: 'clientId is required.' }).max(200);
const handle = z.string().min(1).max(200);
/** For a default client, its client ID as the user typed it to confirm (the server's Confirm-Default-Client). */
const confirmClientId = z.string({ error: 'confirmClientId must be text.' }).max(200).optional();

/** The most clients one bulk action or export may name ("Select all N matching" at 100,000). */
export const MANY_CLIENTS = 200_000;
/** An import file's size limit (the server's body limit for an import). */
export const IMPORT_TEXT_MAX = 8 * 1024 * 1024;

// ---- methods --------------------------------------------------------------------------------

export const contract = {
  'session:get': { input: Empty, output: SessionSchema },
  /** Opens the system browser; resolves when the loopback callback arrives (or it times out). */
  'session:sign-in': {
    input: z
      .object({
        issuer: z.string().max(2000).optional(),
        /** "Sign in as a different user": the server shows its login page even if its browser session is still alive (prompt=login). */
        forceLogin: z.boolean({ error: 'forceLogin must be true or false.' }).optional(),
      })
      .strict(),
    output: SessionSchema,
  },
  'session:cancel-sign-in': { input: Empty, output: Empty },
  'session:sign-out': { input: z.object({ removeOfflineData: z.boolean().default(false) }).strict(), output: SessionSchema },

  'connectivity:get': { input: Empty, output: ConnectivitySchema },

  /** The whole replica once per window load (see ClientSnapshotSchema); then follow `clients:changed`. */
  'clients:snapshot': { input: Empty, output: ClientSnapshotSchema },
  /** The first screen of the default order, before the snapshot (see ClientHeadSchema). */
  'clients:head': { input: z.object({ limit: z.number().int().min(1).max(CLIENT_HEAD_MAX) }).strict(), output: ClientHeadSchema },
  /** Reads the server's change feed now (the Refresh button); answers once caught up, or offline. */
  'clients:refresh': { input: Empty, output: SyncStateSchema },
  'clients:get': {
    input: z.object({ clientId }).strict(),
    output: z.object({ client: ClientSchema, source: z.enum(['live', 'cache']) }),
  },
  'clients:create': {
    input: z.discriminatedUnion('kind', [CreateCustomClientInputSchema.extend({ kind: z.literal('custom') }), CreateSyncConnectorInputSchema]),
    /** The secret itself stays in the main process: the renderer gets a one-time handle. */
    output: z.object({ client: ClientSchema, secret: SecretHandleSchema.nullable() }),
  },
  'clients:update': {
    input: z
      .object({
        clientId,
        version: z.number().int().positive(),
        changes: UpdateClientInputSchema,
        /** Required (true) to change a default client. */
        confirmDefaultClient: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ client: ClientSchema }),
  },
  'clients:delete': {
    /** For a default client, the client ID the user typed to confirm. */
    input: z.object({ clientId, confirmClientId: z.string().max(200).optional() }).strict(),
    output: z.object({ clientId: z.string() }),
  },
  /**
   * A new secret for a client (POST …/secrets). Like a created client's, the secret stays in the
   * host under a one-time handle (`secret:reveal`, `secret:copy`). `client` is the client as the
   * server has it after the change (null when it could not be read back; the change feed brings it).
   */
  'secrets:rotate': {
    input: RotateSecretInputSchema.extend({ clientId, confirmClientId }).strict(),
    output: z.object({ client: ClientSchema.nullable(), secret: SecretHandleSchema, secretId: z.string(), expiresAt: z.string().nullable() }),
  },
  /** Retires one secret at once (DELETE …/secrets/{secretId}); `conflict` for the last working one. */
  'secrets:retire': {
    input: z.object({ clientId, secretId: z.string({ error: 'secretId must be text.' }).min(1, { error: 'secretId is required.' }).max(200), confirmClientId }).strict(),
    output: z.object({ client: ClientSchema.nullable() }),
  },
  /** Who changed what on one client, newest first (issue 11); `cursor` from the previous page. */
  'clients:history': {
    input: z.object({ clientId, cursor: z.string().max(100).optional() }).strict(),
    output: HistoryPageSchema,
  },
  /**
   * One action on many clients (issue 11). The host sends them to the server 1,000 at a time;
   * each result is the server's for that client, and the changes reach the replica at once.
   */
  'clients:batch': {
    input: z
      .object({
        action: z.enum(BATCH_ACTIONS),
        clientIds: z.array(clientId).min(1, { error: 'Select at least one client.' }).max(MANY_CLIENTS),
        label: z.string().max(200).optional(),
      })
      .strict(),
    output: z.object({ results: z.array(BatchResultSchema), succeeded: z.number().int(), failed: z.number().int() }),
  },
  /**
   * Exports clients (issue 11) as the server's versioned document (no secrets). In Electron the
   * host asks where to save it (`saved: "file"`, or `"cancelled"`); a host without a save dialog
   * (serve mode) hands the text back for the page to download (`saved: "download"`).
   */
  'clients:export': {
    input: z.object({ clientIds: z.array(clientId).min(1, { error: 'Select at least one client.' }).max(MANY_CLIENTS) }).strict(),
    output: z.object({ count: z.number().int(), fileName: z.string(), saved: z.enum(['file', 'cancelled', 'download']), text: z.string().optional() }),
  },
  /**
   * Imports an export document (issue 11): `dryRun` answers the server's plan; otherwise the
   * plan is applied in one transaction or not at all. Created confidential clients' secrets stay
   * in the host under one-time handles, as a new client's does.
   */
  'clients:import': {
    input: z.object({ text: z.string().min(1, { error: 'Choose a file.' }).max(IMPORT_TEXT_MAX, { error: 'The file is larger than 8 MB.' }), dryRun: z.boolean() }).strict(),
    output: z.object({
      dryRun: z.boolean(),
      applied: z.boolean(),
      summary: z.record(z.enum(IMPORT_OUTCOMES), z.number().int()),
      items: z.array(ImportPlanItemSchema),
      secrets: z.array(z.object({ clientId: z.string(), name: z.string(), secret: SecretHandleSchema })),
    }),
  },
  /** The issuer's endpoints (discovery), for the details panel's Endpoints and quick starts. */
  'server:endpoints': { input: Empty, output: ServerEndpointsSchema },
  'scopes:list': { input: Empty, output: z.object({ items: z.array(z.object({ name: z.string(), description: z.string() })) }) },

  'secret:reveal': { input: z.object({ handle }).strict(), output: z.object({ secret: z.string() }) },
  'secret:copy': { input: z.object({ handle }).strict(), output: z.object({ clearAfterSeconds: z.number(), clearsAt: z.string() }) },
  'secret:discard': { input: z.object({ handle }).strict(), output: Empty },
  'clipboard:copy-text': { input: z.object({ text: z.string().min(1).max(2000) }).strict(), output: Empty },

  'settings:get': { input: Empty, output: SettingsSchema },
  'settings:set': { input: SettingsPatchSchema, output: SettingsSchema },
} as const;

export const events = {
  'session:changed': SessionSchema,
  'clients:changed': ClientsChangedSchema,
  /** The replica was replaced as a whole (another user or issuer, sign-out): take a new snapshot. */
  'clients:reset': z.object({ rev: z.number().int().nonnegative() }),
  'sync:changed': SyncStateSchema,
  'connectivity:changed': ConnectivitySchema,
  /** A `thetasecure-admin://clients/<clientId>` link was opened (Electron): show that client. */
  'link:open-client': z.object({ clientId: z.string() }),
  /** Serve mode only: the host asks the page to open the sign-in URL in a new tab. */
  'browser:open-url': z.object({ url: z.string() }),
} as const;

export type ContractMethod = keyof typeof contract;
export type ContractEvent = keyof typeof events;
export const CONTRACT_METHODS = Object.keys(contract) as ContractMethod[];
export const CONTRACT_EVENTS = Object.keys(events) as ContractEvent[];

export type MethodInput<M extends ContractMethod> = z.input<(typeof contract)[M]['input']>;
export type ParsedInput<M extends ContractMethod> = z.output<(typeof contract)[M]['input']>;
export type MethodOutput<M extends ContractMethod> = z.output<(typeof contract)[M]['output']>;
export type EventPayload<E extends ContractEvent> = z.output<(typeof events)[E]>;

/** What a host implements: one function per method, given already-validated input. */
export type ContractHandlers = {
  [M in ContractMethod]: (input: ParsedInput<M>) => Promise<Result<MethodOutput<M>>>;
};

/** What the renderer sees as `window.thetasecure`. */
export interface ThetaSecureBridge {
  methods: { [M in ContractMethod]: (input: MethodInput<M>) => Promise<Result<MethodOutput<M>>> };
  events: { [E in ContractEvent]: (listener: (payload: EventPayload<E>) => void) => () => void };
}

export function isContractMethod(name: string): name is ContractMethod {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/**
 * The one entry point both hosts use: validates the input, runs the handler, and turns a
 * thrown error into an `internal` result so nothing ever throws across the boundary.
 */
export async function dispatch(handlers: ContractHandlers, method: string, rawInput: unknown): Promise<Result<unknown>> {
  if (!isContractMethod(method)) return fail('not_found', `Unknown method "${method}".`);
  const parsed = contract[method].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const fields = zodFieldErrors(parsed.error);
    return fail('validation', fields.map((f) => `${f.field}: ${f.message}`).join(' '), fields);
  }
  try {
    const handler = handlers[method] as (input: unknown) => Promise<Result<unknown>>;
    return await handler(parsed.data);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail('internal', `Unexpected error in ${method}: ${message}`);
  }
}
