// "Retire": one confirmation (and, for a default client, its typed client ID); the secret stops
// working at the token endpoint at once.
import { AlertDialog } from 'radix-ui';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Client, SecretMeta } from '../../../../shared/client.ts';
import { call } from '../../lib/bridge.ts';
import { errorMessage } from '../../lib/format.ts';
import { FormProblem } from '../form-parts.tsx';
import { DefaultClientConfirm, typedConfirmationProblem } from '../default-client-confirm.tsx';
import { maskedHint } from './secret-hint.ts';
import { focusPanel, useReturnFocus } from '../../ui/return-focus.ts';

export interface RetireSecretDialogProps {
  client: Client;
  secret: SecretMeta;
  onClose: () => void;
  onRetired: (client: Client | null) => void;
  unavailableReason: string | null;
}

export function RetireSecretDialog({ client, secret, onClose, onRetired, unavailableReason }: RetireSecretDialogProps) {
  const returnFocus = useReturnFocus(focusPanel);
  const id = useId();
  const isDefault = client.kind === 'default';
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (unavailableReason) {
      setProblem(unavailableReason);
      return;
    }
    const typedProblem = isDefault ? typedConfirmationProblem(client, typed) : null;
    if (typedProblem) {
      setTypedError(typedProblem);
      document.getElementById(`${id}-confirm`)?.focus();
      return;
    }
    setBusy(true);
    const result = await call('secrets:retire', { clientId: client.clientId, secretId: secret.id, ...(isDefault ? { confirmClientId: typed.trim() } : {}) });
    setBusy(false);
    if (result.ok) {
      onRetired(result.value.client);
      return;
    }
    const confirmField = result.error.fields?.find((f) => f.field === 'confirmClientId');
    if (confirmField) setTypedError(confirmField.message);
    else setProblem(errorMessage(result.error));
  };

  return (
    <AlertDialog.Root open onOpenChange={(open) => (open || busy ? undefined : onClose())}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="overlay" />
        <AlertDialog.Content className="modal modal-sm" onCloseAutoFocus={returnFocus}>
          <form onSubmit={submit} noValidate>
            <header className="modal-header">
              <AlertDialog.Title className="modal-title">Retire secret {maskedHint(secret.hint)}?</AlertDialog.Title>
            </header>
            <div className="modal-body">
              <AlertDialog.Description className="modal-description">
                Applications that still use this secret of <strong>{client.name}</strong> can no longer obtain tokens, from now on. This cannot be undone.
              </AlertDialog.Description>
              {isDefault ? (
                <DefaultClientConfirm
                  id={`${id}-confirm`}
                  client={client}
                  typed={typed}
                  error={typedError}
                  disabled={busy}
                  onTyped={(value) => {
                    setTyped(value);
                    setTypedError(null);
                  }}
                />
              ) : null}
              {problem ? <FormProblem>{problem}</FormProblem> : null}
            </div>
            <footer className="modal-footer">
              <span className="spacer" />
              <AlertDialog.Cancel className="btn btn-secondary" disabled={busy}>
                Cancel
              </AlertDialog.Cancel>
              <button type="submit" className="btn btn-danger" aria-disabled={busy || undefined}>
                {busy ? 'Retiring…' : 'Retire secret'}
              </button>
            </footer>
          </form>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
