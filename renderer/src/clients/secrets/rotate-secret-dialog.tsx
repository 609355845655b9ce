// "Rotate secret…": when the new secret expires, and how long the current one keeps working so
// the applications can move over without downtime. The new secret itself is shown afterwards,
// once, by the secret-once dialog (the host holds it under a handle).
import { Dialog } from 'radix-ui';
import { X } from 'lucide-react';
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Client } from '../../../../shared/client.ts';
import type { MethodOutput } from '../../../../shared/contract.ts';
import { call } from '../../lib/bridge.ts';
import type { FieldErrors } from '../../lib/client-form-model.ts';
import { errorMessage } from '../../lib/format.ts';
import { emptyRotateForm, rotateErrorsFrom, rotateFormProblems, rotateInput } from '../../lib/secret-rotation.ts';
import type { RotateFormValues } from '../../lib/secret-rotation.ts';
import { Button } from '../../ui/button.tsx';
import { FieldError } from '../entry-list-field.tsx';
import { focusFirstError, FormProblem } from '../form-parts.tsx';
import { DefaultClientConfirm, typedConfirmationProblem } from '../default-client-confirm.tsx';
import { focusPanel, useReturnFocus } from '../../ui/return-focus.ts';

export interface RotateSecretDialogProps {
  client: Client;
  /** Whether the client has a working secret now (then the overlap question applies). */
  hasWorkingSecret: boolean;
  onClose: () => void;
  onRotated: (rotated: MethodOutput<'secrets:rotate'>) => void;
  unavailableReason: string | null;
}

export function RotateSecretDialog({ client, hasWorkingSecret, onClose, onRotated, unavailableReason }: RotateSecretDialogProps) {
  const returnFocus = useReturnFocus(focusPanel);
  const id = useId();
  const isDefault = client.kind === 'default';
  const [values, setValues] = useState<RotateFormValues>(emptyRotateForm);
  const [typed, setTyped] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const set = (patch: Partial<RotateFormValues>, field: string) => {
    setValues((current) => ({ ...current, ...patch }));
    setErrors(({ [field]: _gone, form: _form, ...rest }) => rest);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (unavailableReason) {
      setErrors({ form: unavailableReason });
      return;
    }
    const found = rotateFormProblems(values);
    const typedProblem = isDefault ? typedConfirmationProblem(client, typed) : null;
    if (typedProblem) found.confirmClientId = typedProblem;
    if (Object.keys(found).length) {
      setErrors(found);
      focusFirstError(formRef.current);
      return;
    }
    setErrors({});
    setBusy(true);
    const input = rotateInput(values);
    const result = await call('secrets:rotate', {
      clientId: client.clientId,
      ...(input.expiresInDays !== undefined ? { expiresInDays: input.expiresInDays } : {}),
      ...(hasWorkingSecret ? { retireOthersAfterHours: input.retireOthersAfterHours } : {}),
      ...(isDefault ? { confirmClientId: typed.trim() } : {}),
    });
    setBusy(false);
    if (result.ok) {
      onRotated(result.value);
      return;
    }
    setErrors(result.error.code === 'validation' ? rotateErrorsFrom(result.error) : { form: errorMessage(result.error) });
    focusFirstError(formRef.current);
  };

  const daysError = errors.expiresInDays;
  const hoursError = errors.retireOthersAfterHours;

  return (
    <Dialog.Root open onOpenChange={(open) => (open || busy ? undefined : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content className="modal modal-md" onCloseAutoFocus={returnFocus} aria-describedby={`${id}-description`} onPointerDownOutside={(event) => event.preventDefault()}>
          <form ref={formRef} className="modal-form" onSubmit={submit} noValidate>
            <header className="modal-header">
              <Dialog.Title className="modal-title">Rotate secret of {client.name}</Dialog.Title>
              <Dialog.Close className="btn btn-ghost btn-icon" aria-label="Close" disabled={busy}>
                <X aria-hidden size={16} />
              </Dialog.Close>
            </header>
            <div className="modal-body">
              <p id={`${id}-description`} className="modal-description">
                A new Client Secret is created and shown to you once. {hasWorkingSecret ? 'The current secret keeps working for the time you choose, so the applications can switch over without downtime; then it retires by itself.' : ''}
              </p>
              {errors.form ? <FormProblem>{errors.form}</FormProblem> : null}

              <fieldset className={`field fieldset${daysError ? ' has-error' : ''}`} aria-describedby={daysError ? `${id}-days-error` : undefined}>
                <legend className="field-label">New secret expires</legend>
                <div className="rotate-choices">
                  <label className="rotate-choice">
                    <input type="radio" name={`${id}-expires`} checked={values.expires === 'days'} disabled={busy} onChange={() => set({ expires: 'days' }, 'expiresInDays')} />
                    <span>After</span>
                  </label>
                  <input
                    id={`${id}-days`}
                    className="input input-number"
                    inputMode="numeric"
                    aria-label="Expires after (days)"
                    value={values.days}
                    disabled={busy || values.expires !== 'days'}
                    aria-invalid={daysError ? true : undefined}
                    onChange={(event) => set({ days: event.target.value }, 'expiresInDays')}
                  />
                  <span aria-hidden>days</span>
                  <label className="rotate-choice">
                    <input type="radio" name={`${id}-expires`} checked={values.expires === 'never'} disabled={busy} onChange={() => set({ expires: 'never' }, 'expiresInDays')} />
                    <span>Never</span>
                  </label>
                </div>
                {daysError ? <FieldError id={`${id}-days-error`}>{daysError}</FieldError> : null}
              </fieldset>

              {hasWorkingSecret ? (
                <div className={`field${hoursError ? ' has-error' : ''}`}>
                  <div className="rotate-overlap">
                    <label htmlFor={`${id}-hours`} className="field-label">
                      Keep the current secret working for
                    </label>
                    <input
                      id={`${id}-hours`}
                      className="input input-number"
                      inputMode="numeric"
                      value={values.overlapHours}
                      disabled={busy}
                      aria-invalid={hoursError ? true : undefined}
                      aria-describedby={`${id}-hours-hint${hoursError ? ` ${id}-hours-error` : ''}`}
                      onChange={(event) => set({ overlapHours: event.target.value }, 'retireOthersAfterHours')}
                    />
                    <span>hours</span>
                  </div>
                  <p id={`${id}-hours-hint`} className="field-hint">
                    Both secrets work until then. 0 stops the current secret at once.
                  </p>
                  {hoursError ? <FieldError id={`${id}-hours-error`}>{hoursError}</FieldError> : null}
                </div>
              ) : null}

              {isDefault ? (
                <DefaultClientConfirm
                  id={`${id}-confirm`}
                  client={client}
                  typed={typed}
                  error={errors.confirmClientId}
                  disabled={busy}
                  onTyped={(value) => {
                    setTyped(value);
                    setErrors(({ confirmClientId: _gone, ...rest }) => rest);
                  }}
                />
              ) : null}
            </div>
            <footer className="modal-footer">
              <span className="spacer" />
              <Button variant="secondary" onClick={onClose} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" variant="primary" busy={busy} disabledReason={unavailableReason}>
                {busy ? 'Rotating…' : 'Rotate secret'}
              </Button>
            </footer>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
