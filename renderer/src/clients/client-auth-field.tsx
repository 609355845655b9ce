// "Client authentication" in the Custom Client form: how the application proves who it is at the
// token endpoint, each choice with one line on what it means. Chosen at creation.
import { useId } from 'react';
import type { TokenEndpointAuthMethod } from '../../../shared/client.ts';
import type { AuthFormValues } from '../lib/client-auth-model.ts';
import type { FieldErrors } from '../lib/client-form-model.ts';
import { FieldError } from './entry-list-field.tsx';

type Choice = 'secret' | 'private_key_jwt' | 'none';

const CHOICES: ReadonlyArray<{ id: Choice; label: string; description: string }> = [
  { id: 'secret', label: 'Client secret', description: 'ThetaSecure issues a secret, shown to you once; the application sends it with each token request.' },
  { id: 'private_key_jwt', label: 'Private key JWT', description: 'The application signs each token request with its own private key; ThetaSecure keeps only the public keys, so there is no shared secret.' },
  { id: 'none', label: 'None — public client with PKCE', description: 'For apps that cannot keep a secret (mobile, single-page, desktop): users sign in with Authorization Code and PKCE; no secret, no Client Credentials.' },
];

function choiceOf(method: TokenEndpointAuthMethod): Choice {
  return method === 'client_secret_basic' || method === 'client_secret_post' ? 'secret' : method;
}

export interface ClientAuthFieldProps {
  values: AuthFormValues;
  onChange: (patch: Partial<AuthFormValues>, fields: string[]) => void;
  errors: FieldErrors;
  disabled?: boolean;
}

export function ClientAuthField({ values, onChange, errors, disabled }: ClientAuthFieldProps) {
  const id = useId();
  const choice = choiceOf(values.tokenEndpointAuthMethod);
  const methodError = errors.tokenEndpointAuthMethod;
  const pick = (next: Choice) => onChange({ tokenEndpointAuthMethod: next === 'secret' ? 'client_secret_basic' : next }, ['tokenEndpointAuthMethod', 'jwksUri', 'jwks', 'grantTypes']);

  return (
    <fieldset className={`field fieldset${methodError ? ' has-error' : ''}`} aria-describedby={methodError ? `${id}-error` : undefined}>
      <legend className="field-label">Client authentication</legend>
      <p className="field-hint">How the application proves who it is when it asks ThetaSecure for tokens.</p>
      <div className="choices choices-stack">
        {CHOICES.map((entry) => {
          const inputId = `${id}-${entry.id}`;
          return (
            <div key={entry.id} className="choice">
              <input
                id={inputId}
                type="radio"
                name={`${id}-method`}
                className="checkbox"
                checked={choice === entry.id}
                disabled={disabled}
                aria-describedby={`${inputId}-description`}
                onChange={() => pick(entry.id)}
              />
              <div className="choice-text">
                <label htmlFor={inputId} className="choice-label">
                  {entry.label}
                </label>
                <p id={`${inputId}-description`} className="choice-description">
                  {entry.description}
                </p>
                {entry.id === 'secret' && choice === 'secret' ? <SecretPlacement id={id} values={values} onChange={onChange} disabled={disabled} /> : null}
                {entry.id === 'private_key_jwt' && choice === 'private_key_jwt' ? <KeySource id={id} values={values} onChange={onChange} errors={errors} disabled={disabled} /> : null}
              </div>
            </div>
          );
        })}
      </div>
      {methodError ? <FieldError id={`${id}-error`}>{methodError}</FieldError> : null}
    </fieldset>
  );
}

function SecretPlacement({ id, values, onChange, disabled }: { id: string; values: AuthFormValues; onChange: ClientAuthFieldProps['onChange']; disabled?: boolean }) {
  const options: Array<{ method: TokenEndpointAuthMethod; label: string }> = [
    { method: 'client_secret_basic', label: 'In the Authorization header (HTTP Basic)' },
    { method: 'client_secret_post', label: 'In the request body (client_secret_post)' },
  ];
  return (
    <div className="auth-choice-detail" role="radiogroup" aria-label="The application sends the secret">
      {options.map((option) => (
        <label key={option.method} className="rotate-choice">
          <input type="radio" name={`${id}-placement`} checked={values.tokenEndpointAuthMethod === option.method} disabled={disabled} onChange={() => onChange({ tokenEndpointAuthMethod: option.method }, ['tokenEndpointAuthMethod'])} />
          <span>{option.label}</span>
        </label>
      ))}
    </div>
  );
}

function KeySource({ id, values, onChange, errors, disabled }: { id: string; values: AuthFormValues; onChange: ClientAuthFieldProps['onChange']; errors: FieldErrors; disabled?: boolean }) {
  const uriError = errors.jwksUri;
  const jwksError = errors.jwks;
  return (
    <div className="auth-choice-detail">
      <div className="rotate-choices" role="radiogroup" aria-label="Public keys">
        <label className="rotate-choice">
          <input type="radio" name={`${id}-source`} checked={values.jwksSource === 'uri'} disabled={disabled} onChange={() => onChange({ jwksSource: 'uri' }, ['jwksUri', 'jwks'])} />
          <span>Published at a URL</span>
        </label>
        <label className="rotate-choice">
          <input type="radio" name={`${id}-source`} checked={values.jwksSource === 'paste'} disabled={disabled} onChange={() => onChange({ jwksSource: 'paste' }, ['jwksUri', 'jwks'])} />
          <span>Pasted as a JWKS</span>
        </label>
      </div>
      {values.jwksSource === 'uri' ? (
        <div className={`field${uriError ? ' has-error' : ''}`}>
          <label htmlFor={`${id}-jwks-uri`} className="field-label">
            JWKS URL
          </label>
          <input
            id={`${id}-jwks-uri`}
            className="input mono"
            placeholder="https://app.example.com/.well-known/jwks.json"
            value={values.jwksUri}
            disabled={disabled}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={uriError ? true : undefined}
            aria-describedby={uriError ? `${id}-jwks-uri-error` : undefined}
            onChange={(event) => onChange({ jwksUri: event.target.value }, ['jwksUri'])}
          />
          {uriError ? <FieldError id={`${id}-jwks-uri-error`}>{uriError}</FieldError> : null}
        </div>
      ) : (
        <div className={`field${jwksError ? ' has-error' : ''}`}>
          <label htmlFor={`${id}-jwks`} className="field-label">
            Public keys (JWKS)
          </label>
          <p id={`${id}-jwks-hint`} className="field-hint">
            RS256, ES256 or EdDSA public keys, as {'{"keys": [ … ]}'}. Never paste a private key.
          </p>
          <textarea
            id={`${id}-jwks`}
            className="input textarea mono"
            rows={5}
            value={values.jwksText}
            disabled={disabled}
            spellCheck={false}
            aria-invalid={jwksError ? true : undefined}
            aria-describedby={`${id}-jwks-hint${jwksError ? ` ${id}-jwks-error` : ''}`}
            onChange={(event) => onChange({ jwksText: event.target.value }, ['jwks'])}
          />
          {jwksError ? <FieldError id={`${id}-jwks-error`}>{jwksError}</FieldError> : null}
        </div>
      )}
    </div>
  );
}
