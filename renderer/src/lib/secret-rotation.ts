// The Secrets section as plain data: each secret's status as of now (the replica's copy can be
// older than a status change, which time alone makes), what may be retired, and the "Rotate
// secret…" form: its checks before sending, the request it produces, and where the server's
// errors belong.
import { RETIRE_OTHERS_AFTER_HOURS_MAX, SECRET_EXPIRES_IN_DAYS_MAX, SECRETS_MAX, secretStatusAt, usesClientSecret } from '../../../shared/client.ts';
import type { Client, RotateSecretInput, SecretMeta, SecretStatus } from '../../../shared/client.ts';
import type { ContractError } from '../../../shared/contract.ts';
import type { FieldErrors } from './client-form-model.ts';

export interface SecretRow {
  secret: SecretMeta;
  /** As of now, from its dates (`retired` stays retired). */
  status: SecretStatus;
  /** Active, but a newer secret replaces it at `retiresAt` (the overlap window). */
  retiring: boolean;
}

/** The client's secrets, newest first, each with its status now. */
export function secretRows(client: Pick<Client, 'secrets'>, now: number): SecretRow[] {
  const at = new Date(now).toISOString();
  return [...client.secrets]
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
    .map((secret) => {
      const status = secret.status === 'retired' ? 'retired' : secretStatusAt(secret, at);
      return { secret, status, retiring: status === 'active' && secret.retiresAt !== null };
    });
}

export const SECRET_STATUS_LABELS: Record<SecretStatus, string> = { active: 'Active', expired: 'Expired', retired: 'Retired' };

/** Why this secret cannot be retired now, or null. The server refuses the last working one (409). */
export function retireBlockedReason(rows: readonly SecretRow[], secretId: string): string | null {
  const row = rows.find((r) => r.secret.id === secretId);
  if (!row || row.status !== 'active') return 'Only a working secret can be retired.';
  const othersWorking = rows.some((r) => r.secret.id !== secretId && r.status === 'active');
  return othersWorking ? null : 'This is the only working secret: rotate first, then retire it.';
}

/**
 * Why a new secret cannot be added now, or null. The server keeps up to SECRETS_MAX and makes
 * room by dropping the oldest retired or expired one; with all of them working it refuses (409).
 */
export function rotateBlockedReason(rows: readonly SecretRow[]): string | null {
  const working = rows.filter((r) => r.status === 'active').length;
  return working >= SECRETS_MAX ? `This client already has ${SECRETS_MAX} working secrets: retire one before rotating.` : null;
}

/** Whether the client authenticates with a secret at all (public and private_key_jwt clients do not). */
export function hasSecrets(client: Pick<Client, 'tokenEndpointAuthMethod'>): boolean {
  return usesClientSecret(client.tokenEndpointAuthMethod);
}

// ---- the "Rotate secret…" form ---------------------------------------------------------------

export interface RotateFormValues {
  /** The new secret expires after `days`, or never. */
  expires: 'days' | 'never';
  days: string;
  /** How long the current secrets keep working, in hours (0: they stop at once). */
  overlapHours: string;
}

export const DEFAULT_EXPIRY_DAYS = 365;
export const DEFAULT_OVERLAP_HOURS = 24;

export function emptyRotateForm(): RotateFormValues {
  return { expires: 'days', days: String(DEFAULT_EXPIRY_DAYS), overlapHours: String(DEFAULT_OVERLAP_HOURS) };
}

function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  return /^\d{1,6}$/.test(trimmed) ? Number(trimmed) : null;
}

/** Every problem the form can see before sending, keyed by the request's field names. */
export function rotateFormProblems(values: RotateFormValues): FieldErrors {
  const errors: FieldErrors = {};
  if (values.expires === 'days') {
    const days = wholeNumber(values.days);
    if (days === null || days < 1 || days > SECRET_EXPIRES_IN_DAYS_MAX) errors.expiresInDays = `Enter a whole number of days from 1 to ${SECRET_EXPIRES_IN_DAYS_MAX}.`;
  }
  const hours = wholeNumber(values.overlapHours);
  if (hours === null || hours > RETIRE_OTHERS_AFTER_HOURS_MAX) errors.retireOthersAfterHours = `Enter a whole number of hours from 0 to ${RETIRE_OTHERS_AFTER_HOURS_MAX} (0 stops the current secret at once).`;
  return errors;
}

/** The request; call only when `rotateFormProblems` found nothing. */
export function rotateInput(values: RotateFormValues): RotateSecretInput {
  const hours = wholeNumber(values.overlapHours) ?? DEFAULT_OVERLAP_HOURS;
  return values.expires === 'days' ? { expiresInDays: wholeNumber(values.days) ?? DEFAULT_EXPIRY_DAYS, retireOthersAfterHours: hours } : { retireOthersAfterHours: hours };
}

const ROTATE_FIELDS = new Set(['expiresInDays', 'retireOthersAfterHours', 'confirmClientId']);

/** A failed rotation as errors on the form's fields; anything without a field goes to `form`. */
export function rotateErrorsFrom(error: ContractError): FieldErrors {
  const errors: FieldErrors = {};
  const unplaced: string[] = [];
  for (const item of error.fields ?? []) {
    const field = item.field.replace(/^body\./, '');
    if (ROTATE_FIELDS.has(field) && !(field in errors)) errors[field] = item.message;
    else unplaced.push(item.message);
  }
  if (unplaced.length || Object.keys(errors).length === 0) errors.form = unplaced.length ? unplaced.join(' ') : error.message;
  return errors;
}
