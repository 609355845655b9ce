// The fields of the page's "Custom Client Form" table, in its order and with its words. The
// Sync Connector form is the first two of them; edit adds the client's status.
import { useId, useState } from 'react';
import type { ReactNode } from 'react';
import { GRANT_TYPE_CATALOG, RESPONSE_TYPE_CATALOG, REQUIRE_CONSENT_AVAILABILITY, SYNC_CONNECTOR_PRESET } from '../../../shared/catalogs.ts';
import type { CatalogEntry, ScopeEntry } from '../../../shared/catalogs.ts';
import { DESCRIPTION_MAX, NAME_MAX } from '../../../shared/client.ts';
import type { ClientStatus } from '../../../shared/client.ts';
import { characterCount, descriptionProblem, nameProblem, redirectUriEntryProblem, scopeEntryProblem, splitEntries } from '../lib/client-form-model.ts';
import type { ClientFormValues, FieldErrors } from '../lib/client-form-model.ts';
import { Badge } from '../ui/badge.tsx';
import { ClientAuthField } from './client-auth-field.tsx';
import { EntryListField, FieldError, RequiredMark } from './entry-list-field.tsx';

export interface FormDrafts {
  redirectUris: string;
  scopes: string;
}

export const EMPTY_DRAFTS: FormDrafts = { redirectUris: '', scopes: '' };

export interface ClientFormProps {
  variant: 'custom' | 'sync_connector';
  mode: 'create' | 'edit';
  values: ClientFormValues;
  onChange: (values: ClientFormValues) => void;
  errors: FieldErrors;
  onErrorsChange: (errors: FieldErrors) => void;
  drafts: FormDrafts;
  onDraftsChange: (drafts: FormDrafts) => void;
  /** The server's scope catalog; null while it is unknown (then only the name's shape is checked). */
  scopeCatalog: readonly ScopeEntry[] | null;
  /** Values the client already holds that are "Coming Soon" for new choices (default clients). */
  grandfathered?: { requireConsent: boolean };
  disabled?: boolean;
}

export function ClientForm(props: ClientFormProps) {
  const { values, errors, drafts, variant, mode, disabled } = props;
  const id = useId();

  const set = <K extends keyof ClientFormValues>(key: K, value: ClientFormValues[K]) => {
    props.onChange({ ...values, [key]: value });
    // An error belongs to what was there; once the user changes the field it no longer applies.
    const stale = Object.keys(errors).filter((field) => field === key || field.startsWith(`${key}[`));
    const dependent = key === 'grantTypes' && 'redirectUris' in errors ? ['redirectUris'] : [];
    if (stale.length || dependent.length) {
      const next = { ...errors };
      for (const field of [...stale, ...dependent]) delete next[field];
      props.onErrorsChange(next);
    }
  };

  // Name and description are checked when the user leaves them, once they have typed in them
  // (tabbing through an untouched form says nothing; submit still checks everything).
  const [edited, setEdited] = useState<ReadonlySet<'name' | 'description'>>(() => new Set());
  const edit = (key: 'name' | 'description', value: string) => {
    if (!edited.has(key)) setEdited(new Set([...edited, key]));
    set(key, value);
  };
  const checkOnBlur = (key: 'name' | 'description') => {
    if (!edited.has(key)) return;
    const problem = key === 'name' ? nameProblem(values.name) : descriptionProblem(values.description);
    if ((errors[key] ?? null) === problem) return;
    const next = { ...errors };
    if (problem) next[key] = problem;
    else delete next[key];
    props.onErrorsChange(next);
  };

  const draftErrorKey = (field: string) => `${field}:draft`;
  const setDraftError = (field: string, message: string | null) => {
    const next = { ...errors };
    if (message) next[draftErrorKey(field)] = message;
    else delete next[draftErrorKey(field)];
    props.onErrorsChange(next);
  };

  /** An Add in a list field: the list, its draft and the draft's error change together. */
  const commit = (key: 'redirectUris' | 'scopes', next: { entries: string[]; draft: string; draftError: string | null }) => {
    if (next.entries.length !== values[key].length) props.onChange({ ...values, [key]: next.entries });
    props.onDraftsChange({ ...drafts, [key]: next.draft });
    const nextErrors = { ...errors };
    if (next.entries.length !== values[key].length) {
      for (const field of Object.keys(nextErrors)) if (field === key || field.startsWith(`${key}[`)) delete nextErrors[field];
    }
    if (next.draftError) nextErrors[draftErrorKey(key)] = next.draftError;
    else delete nextErrors[draftErrorKey(key)];
    props.onErrorsChange(nextErrors);
  };

  const catalogNames = props.scopeCatalog ? props.scopeCatalog.map((s) => s.name) : null;

  return (
    <div className="form-fields">
      <TextField id={`${id}-name`} label="Client Name" required error={errors.name} hint="A human readable name to identify this client in the list." count={{ length: values.name.length, max: NAME_MAX }}>
        {(fieldProps) => (
          <input
            {...fieldProps}
            className="input"
            value={values.name}
            disabled={disabled}
            autoComplete="off"
            maxLength={NAME_MAX + 100}
            onChange={(event) => edit('name', event.target.value)}
            onBlur={() => checkOnBlur('name')}
          />
        )}
      </TextField>

      <TextField id={`${id}-description`} label="Description" error={errors.description} hint="Brief description of the client's purpose." count={{ length: values.description.length, max: DESCRIPTION_MAX }}>
        {(fieldProps) => (
          <textarea
            {...fieldProps}
            className="input textarea"
            rows={2}
            value={values.description}
            disabled={disabled}
            maxLength={DESCRIPTION_MAX + 100}
            onChange={(event) => edit('description', event.target.value)}
            onBlur={() => checkOnBlur('description')}
          />
        )}
      </TextField>

      {variant === 'sync_connector' ? (
        <div className="callout callout-info">
          <p>
            A Sync Connector client is configured for LDAP/AD directory synchronization: grant type <strong>Client Credentials</strong>, scopes{' '}
            {SYNC_CONNECTOR_PRESET.scopes.map((scope, index) => (
              <span key={scope}>
                {index > 0 ? ' and ' : ''}
                <code>{scope}</code>
              </span>
            ))}
            , no redirect URIs.
          </p>
        </div>
      ) : (
        <>
          <EntryListField
            field="redirectUris"
            label="Redirect URIs"
            hint={
              <>
                Callback URLs for OAuth2 redirects. Required for Authorization Code flow. Enter valid HTTPS URLs (for example, https://app.example.com/callback) and click Add for each URI. Pasting several, one per line, adds them all.
              </>
            }
            placeholder="https://app.example.com/callback"
            monospace
            entries={values.redirectUris}
            draft={drafts.redirectUris}
            onDraftChange={(draft) => props.onDraftsChange({ ...drafts, redirectUris: draft })}
            problem={(entry, list) => redirectUriEntryProblem(entry, list)}
            split={(text) => splitEntries('redirectUris', text)}
            onEntriesChange={(entries) => set('redirectUris', entries)}
            onCommit={(next) => commit('redirectUris', next)}
            errors={errors}
            draftError={errors[draftErrorKey('redirectUris')] ?? null}
            onDraftError={(message) => setDraftError('redirectUris', message)}
            disabled={disabled}
          />

          <CatalogCheckboxes
            legend="Grant Types"
            required
            hint="Select one or more OAuth 2.0 flows."
            catalog={GRANT_TYPE_CATALOG}
            selected={values.grantTypes}
            onChange={(selected) => set('grantTypes', selected)}
            error={errors.grantTypes}
            disabled={disabled}
          />

          <CatalogCheckboxes
            legend="Response Types"
            hint="What the authorization server hands back in the client's flows. Tokens always come from the token endpoint; Authorization Code clients receive their code at the redirect URI whichever is selected."
            catalog={RESPONSE_TYPE_CATALOG}
            selected={values.responseTypes}
            onChange={(selected) => set('responseTypes', selected)}
            error={errors.responseTypes}
            disabled={disabled}
          />

          <EntryListField
            field="scopes"
            label="Scopes"
            required
            hint="API permissions the client can request. Enter scope names (for example, openid, profile, email) and click Add. Several at once, separated by spaces or commas, are each added."
            placeholder="openid"
            monospace
            entries={values.scopes}
            draft={drafts.scopes}
            onDraftChange={(draft) => props.onDraftsChange({ ...drafts, scopes: draft })}
            problem={(entry, list) => scopeEntryProblem(entry, list, catalogNames)}
            split={(text) => splitEntries('scopes', text)}
            onEntriesChange={(entries) => set('scopes', entries)}
            onCommit={(next) => commit('scopes', next)}
            errors={errors}
            draftError={errors[draftErrorKey('scopes')] ?? null}
            onDraftError={(message) => setDraftError('scopes', message)}
            suggestions={props.scopeCatalog ?? undefined}
            disabled={disabled}
          />

          <RequireConsentField checked={values.requireConsent} grandfathered={props.grandfathered?.requireConsent ?? false} error={errors.requireConsent} onChange={(checked) => set('requireConsent', checked)} disabled={disabled} />

          {mode === 'create' ? (
            <ClientAuthField
              values={values}
              errors={errors}
              disabled={disabled}
              onChange={(patch, fields) => {
                props.onChange({ ...values, ...patch });
                const next = { ...errors };
                for (const field of fields) delete next[field];
                props.onErrorsChange(next);
              }}
            />
          ) : null}
        </>
      )}

      {mode === 'edit' ? (
        <TextField id={`${id}-status`} label="Status" error={errors.status} hint="A disabled client cannot obtain tokens.">
          {(fieldProps) => (
            <select {...fieldProps} className="input select" value={values.status} disabled={disabled} onChange={(event) => set('status', event.target.value as ClientStatus)}>
              <option value="active">Active</option>
              <option value="disabled">Disabled</option>
            </select>
          )}
        </TextField>
      ) : null}
    </div>
  );
}

interface FieldControlProps {
  id: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  'aria-required'?: boolean;
}

function TextField({ id, label, required, hint, error, count, children }: { id: string; label: string; required?: boolean; hint?: string; error?: string; count?: { length: number; max: number }; children: (props: FieldControlProps) => ReactNode }) {
  const counter = count ? characterCount(count.length, count.max) : null;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null, counter?.show ? `${id}-count` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
        {required ? <RequiredMark /> : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy, 'aria-required': required || undefined })}
      {error || counter?.show ? (
        <div className="field-after">
          {error ? <FieldError id={`${id}-error`}>{error}</FieldError> : <span />}
          {counter?.show ? (
            <span id={`${id}-count`} className={`char-count${counter.over ? ' is-over' : ''}`}>
              {counter.text}
              <span className="sr-only"> characters{counter.over ? `, ${-counter.remaining} over the limit` : ''}</span>
            </span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function CatalogCheckboxes<T extends string>(props: {
  legend: string;
  required?: boolean;
  hint: string;
  catalog: readonly CatalogEntry<T>[];
  selected: readonly T[];
  onChange: (selected: T[]) => void;
  error?: string;
  disabled?: boolean;
}) {
  const id = useId();
  const { catalog, selected, error } = props;
  return (
    <fieldset className={`field fieldset${error ? ' has-error' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="field-label">
        {props.legend}
        {props.required ? <RequiredMark /> : null}
      </legend>
      <p className="field-hint">{props.hint}</p>
      <div className="choices">
        {catalog.map((entry) => {
          const comingSoon = entry.availability === 'coming_soon';
          const checked = selected.includes(entry.id);
          // A "Coming Soon" value a default client already holds stays checked, and cannot be toggled either.
          const inputId = `${id}-${entry.id}`;
          return (
            <div key={entry.id} className={`choice${comingSoon ? ' is-coming-soon' : ''}`}>
              <input
                id={inputId}
                type="checkbox"
                className="checkbox"
                checked={checked}
                disabled={props.disabled || comingSoon}
                aria-describedby={`${inputId}-description${comingSoon ? ` ${inputId}-soon` : ''}`}
                onChange={(event) => props.onChange(event.target.checked ? [...selected, entry.id] : selected.filter((value) => value !== entry.id))}
              />
              <div className="choice-text">
                <label htmlFor={inputId} className="choice-label">
                  {entry.label}
                </label>
                {comingSoon ? (
                  <span id={`${inputId}-soon`}>
                    <Badge tone="warning">Coming Soon</Badge>
                  </span>
                ) : null}
                <p id={`${inputId}-description`} className="choice-description">
                  {entry.description}
                </p>
              </div>
            </div>
          );
        })}
      </div>
      {error ? <FieldError id={`${id}-error`}>{error}</FieldError> : null}
    </fieldset>
  );
}

function RequireConsentField({ checked, grandfathered, error, onChange, disabled }: { checked: boolean; grandfathered: boolean; error?: string; onChange: (checked: boolean) => void; disabled?: boolean }) {
  const id = useId();
  const comingSoon = REQUIRE_CONSENT_AVAILABILITY === 'coming_soon';
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <div className={`choice${comingSoon ? ' is-coming-soon' : ''}`}>
        <input
          id={id}
          type="checkbox"
          className="checkbox"
          checked={checked}
          disabled={disabled || (comingSoon && !grandfathered)}
          aria-describedby={`${id}-description${comingSoon ? ` ${id}-soon` : ''}${error ? ` ${id}-error` : ''}`}
          onChange={(event) => onChange(event.target.checked)}
        />
        <div className="choice-text">
          <label htmlFor={id} className="choice-label">
            Require User Consent
          </label>
          {comingSoon ? (
            <span id={`${id}-soon`}>
              <Badge tone="warning">Coming Soon</Badge>
            </span>
          ) : null}
          <p id={`${id}-description`} className="choice-description">
            When enabled, users must explicitly approve access before tokens are granted.
          </p>
        </div>
      </div>
      {error ? <FieldError id={`${id}-error`}>{error}</FieldError> : null}
    </div>
  );
}
