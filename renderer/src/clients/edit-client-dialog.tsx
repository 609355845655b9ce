// Edit: the same form, prefilled. Only what the user changed is sent, with the version it was
// based on; if someone else saved in between, the user's edits stay and the latest version
// can be loaded under them.
import { Dialog } from 'radix-ui';
import { RefreshCw, TriangleAlert, X } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ScopeEntry } from '../../../shared/catalogs.ts';
import type { Client } from '../../../shared/client.ts';
import { call } from '../lib/bridge.ts';
import { changedKeys, commitDrafts, fieldErrorsFrom, formFromClient, hasErrors, rebaseEdits, updateChanges, validateForm } from '../lib/client-form-model.ts';
import type { ClientFormValues, FieldErrors } from '../lib/client-form-model.ts';
import { defaultClientImpact, guardedChanges, guardedFieldLabels } from '../lib/default-client-impact.ts';
import { errorMessage } from '../lib/format.ts';
import { Button } from '../ui/button.tsx';
import { ClientForm, EMPTY_DRAFTS } from './client-form.tsx';
import type { FormDrafts } from './client-form.tsx';
import { FieldError } from './entry-list-field.tsx';
import { DiscardBar, focusFirstError, FormProblem } from './form-parts.tsx';
import { RemoteChangeNotice } from './remote-change-notice.tsx';
import { focusPanel, useReturnFocus } from '../ui/return-focus.ts';

export const DEFAULT_CLIENT_WARNING =
  'Avoid modifying or deleting the default clients. These are required for core platform functionality including mobile authentication, desktop agent connectivity, and directory synchronization.';

export interface EditClientDialogProps {
  client: Client;
  /** The client as the live list has it now (another admin may have changed it), or null. */
  latest?: Client | null;
  /** The client is gone from the live list: deleted elsewhere. */
  deletedElsewhere?: boolean;
  onClose: () => void;
  onSaved: (client: Client) => void;
  scopeCatalog: readonly ScopeEntry[] | null;
  unavailableReason: string | null;
}

export function EditClientDialog({ client, latest = null, deletedElsewhere = false, onClose, onSaved, scopeCatalog, unavailableReason }: EditClientDialogProps) {
  const returnFocus = useReturnFocus(focusPanel);
  const [original, setOriginal] = useState<Client>(client);
  const [values, setValues] = useState<ClientFormValues>(() => formFromClient(client));
  const [drafts, setDrafts] = useState<FormDrafts>(EMPTY_DRAFTS);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState<'save' | 'reload' | null>(null);
  const [conflict, setConflict] = useState(false);
  const [rebased, setRebased] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  // Typed confirmation for a default client's status, grant types, redirect URIs or scopes.
  const [typedId, setTypedId] = useState('');
  const [typedError, setTypedError] = useState<string | null>(null);
  const guarded = guardedChanges(original, updateChanges(original, values));
  const catalogNames = scopeCatalog?.map((s) => s.name) ?? null;
  const variant = original.kind === 'sync_connector' ? 'sync_connector' : 'custom';

  const dirty = changedKeys(original, values).length > 0 || drafts.redirectUris !== '' || drafts.scopes !== '';
  const requestClose = () => {
    if (busy) return;
    if (dirty) setConfirmDiscard(true);
    else onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (unavailableReason) {
      setErrors({ form: unavailableReason });
      return;
    }
    const committed = variant === 'custom' ? commitDrafts(values, drafts, catalogNames) : { values, drafts, errors: {} };
    const toSend = committed.values;
    if (toSend !== values) {
      setValues(toSend);
      setDrafts(committed.drafts);
    }
    const found = { ...validateForm(toSend, original.kind === 'sync_connector' ? 'sync_connector' : original.kind, catalogNames, original), ...committed.errors };
    if (hasErrors(found)) {
      setErrors(found);
      focusFirstError(formRef.current);
      return;
    }
    const changes = updateChanges(original, toSend);
    if (Object.keys(changes).length === 0) {
      onClose();
      return;
    }
    const guardedNow = guardedChanges(original, changes);
    if (guardedNow.length > 0 && typedId.trim() !== original.clientId) {
      setTypedError(typedId.trim() === '' ? `Type ${original.clientId} to confirm.` : `That is not this client's ID. Type ${original.clientId} exactly.`);
      document.getElementById(`${id}-confirm`)?.focus();
      return;
    }
    setErrors({});
    setTypedError(null);
    setBusy('save');
    const result = await call('clients:update', {
      clientId: original.clientId,
      version: original.version,
      changes,
      ...(original.kind === 'default' ? { confirmDefaultClient: true } : {}),
    });
    setBusy(null);
    if (result.ok) {
      onSaved(result.value.client);
      return;
    }
    switch (result.error.code) {
      case 'conflict':
        setConflict(true);
        setRebased(false);
        break;
      case 'validation':
        setErrors(fieldErrorsFrom(result.error));
        break;
      case 'not_found':
        setErrors({ form: 'This client no longer exists: someone else deleted it.' });
        break;
      case 'confirmation_required':
        // The server refused a change that would break sign-in (its problem detail says what).
        setErrors({ form: `The server refused this change: ${result.error.message}` });
        break;
      default:
        setErrors({ form: errorMessage(result.error) });
    }
    focusFirstError(formRef.current);
  };

  // Someone else saved a newer version while this form is open (not our own save landing).
  const changedElsewhere = busy !== 'save' && !conflict && (deletedElsewhere || (latest !== null && latest.version > original.version));
  const reloadFromLive = () => {
    if (!latest) return;
    setValues(rebaseEdits(original, latest, values));
    setOriginal(latest);
    setRebased(true);
    setErrors({});
  };

  const reloadLatest = async () => {
    setBusy('reload');
    const result = await call('clients:get', { clientId: original.clientId });
    setBusy(null);
    if (!result.ok) {
      setErrors({ form: result.error.code === 'not_found' ? 'This client no longer exists: someone else deleted it.' : errorMessage(result.error) });
      return;
    }
    setValues(rebaseEdits(original, result.value.client, values));
    setOriginal(result.value.client);
    setConflict(false);
    setRebased(true);
    setErrors({});
  };

  return (
    <Dialog.Root open onOpenChange={(open) => (open ? undefined : requestClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content
          onCloseAutoFocus={returnFocus}
          className={`modal ${variant === 'custom' ? 'modal-lg' : 'modal-md'}`}
          aria-describedby={undefined}
          onEscapeKeyDown={(event) => {
            event.preventDefault();
            requestClose();
          }}
          onPointerDownOutside={(event) => event.preventDefault()}
        >
          <header className="modal-header">
            <Dialog.Title className="modal-title">
              Edit Client <span className="modal-title-sub">{original.name}</span>
            </Dialog.Title>
            <button type="button" className="btn btn-ghost btn-icon" aria-label="Close" onClick={requestClose}>
              <X aria-hidden size={16} />
            </button>
          </header>
          <form ref={formRef} className="modal-form" onSubmit={submit} noValidate>
            <div className="modal-body">
              {original.kind === 'default' ? (
                <div className="callout callout-warning">
                  <TriangleAlert aria-hidden size={16} />
                  <p>
                    <strong>Default client.</strong> {DEFAULT_CLIENT_WARNING}
                  </p>
                </div>
              ) : null}
              {changedElsewhere ? <RemoteChangeNotice deleted={deletedElsewhere} onReload={reloadFromLive} /> : null}
              {conflict ? (
                <div className="callout callout-danger" role="alert">
                  <TriangleAlert aria-hidden size={16} />
                  <div>
                    <p>
                      <strong>Someone else changed this client</strong> while you were editing it. Your edits are kept below and nothing was saved.
                    </p>
                    <p>Reload the latest version to see their changes; your edits stay on top of it, then save again.</p>
                    <Button variant="secondary" icon={<RefreshCw aria-hidden size={14} />} onClick={reloadLatest} busy={busy === 'reload'}>
                      Reload latest version
                    </Button>
                  </div>
                </div>
              ) : null}
              {rebased ? (
                <div className="callout callout-info" role="status">
                  <p>Loaded the latest version. Your edits are kept — review them and save again.</p>
                </div>
              ) : null}
              {errors.form ? <FormProblem>{errors.form}</FormProblem> : null}
              <ClientForm
                variant={variant}
                mode="edit"
                values={values}
                onChange={setValues}
                errors={errors}
                onErrorsChange={setErrors}
                drafts={drafts}
                onDraftsChange={setDrafts}
                scopeCatalog={scopeCatalog}
                grandfathered={original.kind === 'default' ? { requireConsent: original.requireConsent } : undefined}
                disabled={busy !== null}
              />
              {/* Below the fields, next to Save: seen when the change is made. */}
              {guarded.length > 0 ? (
                <div className="callout callout-danger" role="region" aria-label="Confirm changing a default client">
                  <TriangleAlert aria-hidden size={16} />
                  <div>
                    <p>
                      <strong>Changing {guardedFieldLabels(guarded)} of a default client.</strong> {defaultClientImpact(original.clientId)}
                    </p>
                    <div className={`field${typedError ? ' has-error' : ''}`}>
                      <label htmlFor={`${id}-confirm`} className="field-label">
                        Type <code>{original.clientId}</code> to confirm
                      </label>
                      <input
                        id={`${id}-confirm`}
                        className="input mono"
                        value={typedId}
                        autoComplete="off"
                        spellCheck={false}
                        disabled={busy !== null}
                        aria-invalid={typedError ? true : undefined}
                        aria-describedby={typedError ? `${id}-confirm-error` : undefined}
                        onChange={(event) => {
                          setTypedId(event.target.value);
                          setTypedError(null);
                        }}
                      />
                      {typedError ? <FieldError id={`${id}-confirm-error`}>{typedError}</FieldError> : null}
                    </div>
                  </div>
                </div>
              ) : null}
            </div>
            <footer className="modal-footer">
              {confirmDiscard ? (
                <DiscardBar message="Discard your changes to this client?" onKeep={() => setConfirmDiscard(false)} onDiscard={onClose} />
              ) : (
                <>
                  <span className="spacer" />
                  <Button variant="secondary" onClick={requestClose} disabled={busy !== null}>
                    Cancel
                  </Button>
                  <Button type="submit" variant="primary" busy={busy === 'save'} disabledReason={unavailableReason}>
                    {busy === 'save' ? 'Saving…' : 'Save Changes'}
                  </Button>
                </>
              )}
            </footer>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
