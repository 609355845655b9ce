// Delete confirmation. A default client needs its client ID typed, as the server requires.
import { AlertDialog } from 'radix-ui';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Client } from '../../../shared/client.ts';
import { call } from '../lib/bridge.ts';
import { errorMessage } from '../lib/format.ts';
import { DefaultClientConfirm, typedConfirmationProblem } from './default-client-confirm.tsx';
import { FormProblem } from './form-parts.tsx';
import { focusPanel, useReturnFocus } from '../ui/return-focus.ts';

export interface DeleteClientDialogProps {
  client: Client;
  onClose: () => void;
  onDeleted: (clientId: string) => void;
  unavailableReason: string | null;
}

export function DeleteClientDialog({ client, onClose, onDeleted, unavailableReason }: DeleteClientDialogProps) {
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
      return;
    }
    setBusy(true);
    const result = await call('clients:delete', { clientId: client.clientId, ...(isDefault ? { confirmClientId: typed.trim() } : {}) });
    setBusy(false);
    if (result.ok || result.error.code === 'not_found') {
      onDeleted(client.clientId);
      return;
    }
    if (result.error.code === 'validation' || result.error.code === 'confirmation_required') {
      if (isDefault) setTypedError(result.error.fields?.[0]?.message ?? result.error.message);
      else setProblem(result.error.message);
      return;
    }
    setProblem(errorMessage(result.error));
  };

  return (
    <AlertDialog.Root open onOpenChange={(open) => (open || busy ? undefined : onClose())}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="overlay" />
        <AlertDialog.Content className="modal modal-sm" onCloseAutoFocus={returnFocus}>
          <form onSubmit={submit} noValidate>
            <header className="modal-header">
              <AlertDialog.Title className="modal-title">Delete {client.name}?</AlertDialog.Title>
            </header>
            <div className="modal-body">
              <AlertDialog.Description className="modal-description">
                Applications using the client ID <code>{client.clientId}</code> will no longer be able to obtain tokens. This cannot be undone.
              </AlertDialog.Description>
              {isDefault ? (
                <DefaultClientConfirm
                  id={`${id}-confirm`}
                  client={client}
                  typed={typed}
                  error={typedError}
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
              <button type="submit" className="btn btn-danger" aria-disabled={busy || (isDefault && typedConfirmationProblem(client, typed) !== null) || undefined}>
                {busy ? 'Deleting…' : 'Delete'}
              </button>
            </footer>
          </form>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
