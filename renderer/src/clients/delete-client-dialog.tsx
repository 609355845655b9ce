// Delete confirmation. A default client needs its client ID typed, as the server requires.
import { AlertDialog } from 'radix-ui';
import { TriangleAlert } from 'lucide-react';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Client } from '../../../shared/client.ts';
import { call } from '../lib/bridge.ts';
import { errorMessage } from '../lib/format.ts';
import { FieldError } from './entry-list-field.tsx';
import { DEFAULT_CLIENT_WARNING } from './edit-client-dialog.tsx';
import { FormProblem } from './form-parts.tsx';

export interface DeleteClientDialogProps {
  client: Client;
  onClose: () => void;
  onDeleted: (clientId: string) => void;
  unavailableReason: string | null;
}

export function DeleteClientDialog({ client, onClose, onDeleted, unavailableReason }: DeleteClientDialogProps) {
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
    if (isDefault && typed.trim() !== client.clientId) {
      setTypedError(typed.trim() === '' ? `Type ${client.clientId} to confirm.` : `That is not this client's ID. Type ${client.clientId} exactly.`);
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
        <AlertDialog.Content className="modal modal-sm">
          <form onSubmit={submit} noValidate>
            <header className="modal-header">
              <AlertDialog.Title className="modal-title">Delete {client.name}?</AlertDialog.Title>
            </header>
            <div className="modal-body">
              <AlertDialog.Description className="modal-description">
                Applications using the client ID <code>{client.clientId}</code> will no longer be able to obtain tokens. This cannot be undone.
              </AlertDialog.Description>
              {isDefault ? (
                <>
                  <div className="callout callout-warning">
                    <TriangleAlert aria-hidden size={16} />
                    <p>
                      <strong>This is a default client.</strong> {DEFAULT_CLIENT_WARNING}
                    </p>
                  </div>
                  <div className={`field${typedError ? ' has-error' : ''}`}>
                    <label htmlFor={`${id}-confirm`} className="field-label">
                      Type <code>{client.clientId}</code> to confirm
                    </label>
                    <input
                      id={`${id}-confirm`}
                      className="input mono"
                      value={typed}
                      autoComplete="off"
                      spellCheck={false}
                      aria-invalid={typedError ? true : undefined}
                      aria-describedby={typedError ? `${id}-confirm-error` : undefined}
                      onChange={(event) => {
                        setTyped(event.target.value);
                        setTypedError(null);
                      }}
                    />
                    {typedError ? <FieldError id={`${id}-confirm-error`}>{typedError}</FieldError> : null}
                  </div>
                </>
              ) : null}
              {problem ? <FormProblem>{problem}</FormProblem> : null}
            </div>
            <footer className="modal-footer">
              <span className="spacer" />
              <AlertDialog.Cancel className="btn btn-secondary" disabled={busy}>
                Cancel
              </AlertDialog.Cancel>
              <button type="submit" className="btn btn-danger" aria-disabled={busy || (isDefault && typed.trim() !== client.clientId) || undefined}>
                {busy ? 'Deleting…' : 'Delete'}
              </button>
            </footer>
          </form>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
