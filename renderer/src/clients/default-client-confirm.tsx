// The typed confirmation a default client needs before it is deleted or its secrets change (the
// server requires the client ID again), with the page's warning about default clients.
import { TriangleAlert } from 'lucide-react';
import type { Client } from '../../../shared/client.ts';
import { DEFAULT_CLIENT_WARNING } from './edit-client-dialog.tsx';
import { FieldError } from './entry-list-field.tsx';

export function typedConfirmationProblem(client: Pick<Client, 'clientId'>, typed: string): string | null {
  if (typed.trim() === client.clientId) return null;
  return typed.trim() === '' ? `Type ${client.clientId} to confirm.` : `That is not this client's ID. Type ${client.clientId} exactly.`;
}

export function DefaultClientConfirm({ id, client, typed, error, onTyped, disabled }: { id: string; client: Client; typed: string; error: string | null | undefined; onTyped: (typed: string) => void; disabled?: boolean }) {
  return (
    <>
      <div className="callout callout-warning">
        <TriangleAlert aria-hidden size={16} />
        <p>
          <strong>This is a default client.</strong> {DEFAULT_CLIENT_WARNING}
        </p>
      </div>
      <div className={`field${error ? ' has-error' : ''}`}>
        <label htmlFor={id} className="field-label">
          Type <code>{client.clientId}</code> to confirm
        </label>
        <input
          id={id}
          className="input mono"
          value={typed}
          autoComplete="off"
          spellCheck={false}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => onTyped(event.target.value)}
        />
        {error ? <FieldError id={`${id}-error`}>{error}</FieldError> : null}
      </div>
    </>
  );
}
