// The create/edit form as plain data: its values, the checks that run before anything is sent
// (the same shared rules the server applies), the request it produces, and where the errors
// the server sends back belong.
import type { GrantType, ResponseType } from '../../../shared/catalogs.ts';
import { CreateCustomClientInputSchema, clientSettingsErrors, scopeProblem } from '../../../shared/client.ts';
import type { Client, ClientKind, ClientSettings, ClientStatus, TokenEndpointAuthMethod, UpdateClientInput } from '../../../shared/client.ts';
import { authFormProblems, authFromClient, authInput, DEFAULT_AUTH } from './client-auth-model.ts';
import type { AuthFormValues } from './client-auth-model.ts';
import type { ContractError, MethodInput } from '../../../shared/contract.ts';
import { redirectUriProblem } from '../../../shared/redirect-uris.ts';

export interface ClientFormValues extends AuthFormValues {
  name: string;
  description: string;
  redirectUris: string[];
  scopes: string[];
  grantTypes: GrantType[];
  responseTypes: ResponseType[];
  requireConsent: boolean;
  status: ClientStatus;
}

/** Field path (as the server names it: `name`, `redirectUris[1]`, `scopes`) → message. `form` is for the rest. */
export type FieldErrors = Record<string, string>;

export function emptyForm(): ClientFormValues {
  return { name: '', description: '', redirectUris: [], scopes: [], grantTypes: [], responseTypes: ['token'], requireConsent: false, status: 'active', ...DEFAULT_AUTH };
}

export function formFromClient(client: Client): ClientFormValues {
  return {
    name: client.name,
    description: client.description,
    redirectUris: [...client.redirectUris],
    scopes: [...client.scopes],
    grantTypes: [...client.grantTypes],
    responseTypes: [...client.responseTypes],
    requireConsent: client.requireConsent,
    status: client.status,
    ...authFromClient(client),
  };
}

const nameSchema = CreateCustomClientInputSchema.shape.name;
const descriptionSchema = CreateCustomClientInputSchema.shape.description;

export function nameProblem(name: string): string | null {
  const parsed = nameSchema.safeParse(name);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Enter a client name.');
}

export function descriptionProblem(description: string): string | null {
  const parsed = descriptionSchema.safeParse(description);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'This description cannot be used.');
}

/** Why `uri` cannot be added to `existing`, or null. */
export function redirectUriEntryProblem(uri: string, existing: readonly string[]): string | null {
  const problem = redirectUriProblem(uri);
  if (problem) return problem;
  return existing.includes(uri) ? 'This redirect URI is already in the list.' : null;
}

/**
 * Why `scope` cannot be added, or null. Without the server's catalog (not loaded yet) only the
 * shape of the name is checked; the server still has the last word.
 */
export function scopeEntryProblem(scope: string, existing: readonly string[], catalog: readonly string[] | null): string | null {
  if (scope.length === 0) return 'Enter a scope name.';
  const problem = scopeProblem(scope, catalog ?? [scope]);
  if (problem) return problem;
  return existing.includes(scope) ? `The scope "${scope}" is already in the list.` : null;
}

/**
 * Several entries in one text (pasted, or typed before Add): scopes are separated by spaces,
 * commas or new lines ("openid profile email" is three scopes, as in an OAuth `scope`
 * parameter); redirect URIs by new lines or spaces (a URI holds neither, but may hold a comma).
 */
export function splitEntries(field: 'redirectUris' | 'scopes', text: string): string[] {
  const separator = field === 'scopes' ? /[\s,]+/ : /\s+/;
  return text.split(separator).map((entry) => entry.trim()).filter((entry) => entry.length > 0);
}

/**
 * Adds each of `candidates` that passes `problem` (checked against the list as it grows, so a
 * repeated entry is caught too). Those refused stay, with the first one's reason, for the user
 * to fix in the field.
 */
export function addEntries(existing: readonly string[], candidates: readonly string[], problem: (entry: string, list: readonly string[]) => string | null): { entries: string[]; rejected: string[]; reason: string | null } {
  const entries = [...existing];
  const rejected: string[] = [];
  let reason: string | null = null;
  for (const candidate of candidates) {
    const why = problem(candidate, entries);
    if (why) {
      rejected.push(candidate);
      reason ??= rejected.length === 1 && candidates.length === 1 ? why : `${candidate}: ${why}`;
    } else entries.push(candidate);
  }
  return { entries, rejected, reason };
}

/** The counter under Client Name and Description: shown from 80 % of the limit, "over" past it. */
export function characterCount(length: number, max: number): { show: boolean; text: string; over: boolean; remaining: number } {
  const remaining = max - length;
  return { show: length >= Math.floor(max * 0.8), text: `${length} / ${max}`, over: remaining < 0, remaining };
}

/** Text typed into the Redirect URIs and Scopes entry fields but not added yet. */
export interface EntryDrafts {
  redirectUris: string;
  scopes: string;
}

/**
 * On submit, text typed but not yet added is what the user meant: it is added, or its problem
 * is reported (under `<field>:draft`) and the text stays in its field.
 */
export function commitDrafts(values: ClientFormValues, drafts: EntryDrafts, catalog: readonly string[] | null): { values: ClientFormValues; drafts: EntryDrafts; errors: FieldErrors } {
  let next = values;
  const errors: FieldErrors = {};
  const left: EntryDrafts = { redirectUris: '', scopes: '' };
  const uris = addEntries(next.redirectUris, splitEntries('redirectUris', drafts.redirectUris), (entry, list) => redirectUriEntryProblem(entry, list));
  if (uris.reason) {
    errors['redirectUris:draft'] = uris.reason;
    left.redirectUris = uris.rejected.join(' ');
  }
  if (uris.entries.length !== next.redirectUris.length) next = { ...next, redirectUris: uris.entries };
  const scopes = addEntries(next.scopes, splitEntries('scopes', drafts.scopes), (entry, list) => scopeEntryProblem(entry, list, catalog));
  if (scopes.reason) {
    errors['scopes:draft'] = scopes.reason;
    left.scopes = scopes.rejected.join(' ');
  }
  if (scopes.entries.length !== next.scopes.length) next = { ...next, scopes: scopes.entries };
  return { values: next, drafts: left, errors };
}

/**
 * Every problem the form can see before sending, keyed like the server's errors. For a Sync
 * Connector only the name and description are the user's to choose.
 */
export function validateForm(values: ClientFormValues, kind: ClientKind, catalog: readonly string[] | null, previous?: Client): FieldErrors {
  const errors: FieldErrors = {};
  const name = nameProblem(values.name);
  if (name) errors.name = name;
  const description = descriptionProblem(values.description);
  if (description) errors.description = description;
  if (kind === 'sync_connector') return errors;

  // The authentication method is chosen at creation; an edit keeps the client's own.
  const auth = previous ? { value: { tokenEndpointAuthMethod: previous.tokenEndpointAuthMethod, jwksUri: previous.jwksUri, jwks: previous.jwks }, errors: {} } : authFormProblems(values);
  Object.assign(errors, auth.errors);
  const method: TokenEndpointAuthMethod = auth.value.tokenEndpointAuthMethod;
  const settings: ClientSettings = {
    name: values.name,
    description: values.description,
    kind,
    status: values.status,
    grantTypes: values.grantTypes,
    responseTypes: values.responseTypes,
    redirectUris: values.redirectUris,
    scopes: values.scopes,
    requireConsent: values.requireConsent,
    tokenEndpointAuthMethod: method,
    jwksUri: auth.value.jwksUri,
    jwks: auth.value.jwks,
  };
  for (const problem of clientSettingsErrors(settings, { scopeCatalog: catalog ?? values.scopes }, previous)) {
    const key = displayField(problem.field);
    if (!(key in errors)) errors[key] = displayMessage(problem.field, problem.message);
  }
  return errors;
}

/** The message as shown on its field: a problem with one of several pasted keys says which. */
export function displayMessage(field: string, message: string): string {
  const key = /^(?:(?:changes|client|body)\.)?jwks\.keys\[(\d+)\]/.exec(field);
  return key ? `Key ${Number(key[1]) + 1}: ${message}` : message;
}

/**
 * Where an error is shown. List entries keep their index (the entry is marked); single choices
 * of a checkbox group are shown on the group.
 */
export function displayField(field: string): string {
  const path = field.replace(/^(changes|client|body)\./, '');
  if (/^(grantTypes|responseTypes)\[\d+\]$/.test(path)) return path.replace(/\[\d+\]$/, '');
  // A problem inside the pasted key set (jwks.keys[0].d) is shown on the JWKS field, which says which key.
  if (/^jwks[.[]/.test(path)) return 'jwks';
  return path;
}

const FORM_FIELDS = new Set(['name', 'description', 'redirectUris', 'scopes', 'grantTypes', 'responseTypes', 'requireConsent', 'status', 'tokenEndpointAuthMethod', 'jwksUri', 'jwks']);

/** A failed create/update as errors on the form's fields; anything without a field goes to `form`. */
export function fieldErrorsFrom(error: ContractError): FieldErrors {
  const errors: FieldErrors = {};
  const unplaced: string[] = [];
  for (const item of error.fields ?? []) {
    const key = displayField(item.field);
    const root = key.replace(/\[\d+\]$/, '');
    if (FORM_FIELDS.has(root)) {
      if (!(key in errors)) errors[key] = displayMessage(item.field, item.message);
    } else {
      unplaced.push(item.message);
    }
  }
  if (unplaced.length > 0 || Object.keys(errors).length === 0) {
    errors.form = unplaced.length > 0 ? unplaced.join(' ') : error.message;
  }
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

export function createInput(values: ClientFormValues, kind: 'custom' | 'sync_connector'): MethodInput<'clients:create'> {
  if (kind === 'sync_connector') {
    return { kind: 'sync_connector', name: values.name.trim(), description: values.description.trim() };
  }
  return {
    kind: 'custom',
    name: values.name.trim(),
    description: values.description.trim(),
    redirectUris: values.redirectUris,
    grantTypes: values.grantTypes,
    responseTypes: values.responseTypes,
    scopes: values.scopes,
    requireConsent: values.requireConsent,
    ...authInput(values),
  };
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}

type EditableKey = keyof ClientFormValues;
const EDITABLE_KEYS: EditableKey[] = ['name', 'description', 'redirectUris', 'scopes', 'grantTypes', 'responseTypes', 'requireConsent', 'status'];

function fieldChanged(key: EditableKey, before: ClientFormValues, after: ClientFormValues): boolean {
  switch (key) {
    case 'name':
    case 'description':
      return before[key].trim() !== after[key].trim();
    case 'redirectUris':
    case 'scopes':
      return !sameList(before[key], after[key]);
    case 'grantTypes':
    case 'responseTypes':
      return !sameSet<string>(before[key], after[key]);
    default:
      return before[key] !== after[key];
  }
}

/** The keys the user changed compared with the client they started from. */
export function changedKeys(original: Client, values: ClientFormValues): EditableKey[] {
  const before = formFromClient(original);
  return EDITABLE_KEYS.filter((key) => fieldChanged(key, before, values));
}

/**
 * Only what the user changed is sent: a default client keeps the "Coming Soon" values it was
 * provisioned with unless the user touches that field, and a Sync Connector's preset is never sent.
 */
export function updateChanges(original: Client, values: ClientFormValues): UpdateClientInput {
  const changes: UpdateClientInput = {};
  for (const key of changedKeys(original, values)) {
    if (original.kind === 'sync_connector' && key !== 'name' && key !== 'description' && key !== 'status') continue;
    switch (key) {
      case 'name':
        changes.name = values.name.trim();
        break;
      case 'description':
        changes.description = values.description.trim();
        break;
      case 'redirectUris':
        changes.redirectUris = values.redirectUris;
        break;
      case 'scopes':
        changes.scopes = values.scopes;
        break;
      case 'grantTypes':
        changes.grantTypes = values.grantTypes;
        break;
      case 'responseTypes':
        changes.responseTypes = values.responseTypes;
        break;
      case 'requireConsent':
        changes.requireConsent = values.requireConsent;
        break;
      case 'status':
        changes.status = values.status;
        break;
    }
  }
  return changes;
}

/**
 * After a conflict: the latest version from the server, with the user's own edits laid on top,
 * so nothing typed is lost and the next save carries the new version.
 */
export function rebaseEdits(original: Client, latest: Client, values: ClientFormValues): ClientFormValues {
  const rebased = formFromClient(latest);
  for (const key of changedKeys(original, values)) {
    (rebased as unknown as Record<string, unknown>)[key] = values[key];
  }
  return rebased;
}
