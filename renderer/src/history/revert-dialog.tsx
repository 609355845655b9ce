// "Revert this change" (issue 11): the old values of an update, sent as an ordinary PATCH
// (clients:update) at the client's current version, so the server's validation, the version
// check and the default-client confirmation apply as for any edit.
import { useState } from 'react';
import type { Client } from '../../../shared/client.ts';
import type { HistoryEntry } from '../../../shared/history.ts';
import { DefaultClientConfirm, typedConfirmationProblem } from '../clients/default-client-confirm.tsx';
import { call } from '../lib/bridge.ts';
import { errorMessage } from '../lib/format.ts';
import { Button } from '../ui/button.tsx';
import { Modal } from '../ui/modal.tsx';
import { FIELD_LABELS, changedSince, revertPatch } from './history-model.ts';

export function RevertDialog({ client, entry, onClose }: { client: Client; entry: HistoryEntry; onClose: () => void }) {
  const patch = revertPatch(entry)!;
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const since = changedSince(entry, client);

  async function revert() {
    if (client.kind === 'default') {
      const problem = typedConfirmationProblem(client, typed);
      setTypedError(problem);
      if (problem) return;
    }
    setBusy(true);
    const result = await call('clients:update', { clientId: client.clientId, version: client.version, changes: patch, ...(client.kind === 'default' ? { confirmDefaultClient: true } : {}) });
    setBusy(false);
    if (result.ok) {
      onClose();
      return;
    }
    const fields = result.error.fields?.map((f) => `${FIELD_LABELS[f.field.split(/[.[]/)[0]!] ?? f.field}: ${f.message}`);
    setError(fields?.length ? fields.join(' ') : errorMessage(result.error));
  }

  return (
    <Modal
      open
      onOpenChange={(open) => (open ? undefined : onClose())}
      title="Revert this change?"
      description={`${entry.actor.name}'s change is undone by setting these fields back; the change itself stays in the history.`}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" onClick={() => void revert()} disabledReason={busy ? 'Reverting…' : null}>
            Revert
          </Button>
        </>
      }
    >
      <ul className="history-changes">
        {Object.keys(patch).map((field) => (
          <li key={field}>{FIELD_LABELS[field] ?? field}</li>
        ))}
      </ul>
      {since.length ? (
        <p className="callout callout-warning">
          Changed again since: {since.join(', ')}. Reverting sets {since.length === 1 ? 'it' : 'them'} back too.
        </p>
      ) : null}
      {client.kind === 'default' ? <DefaultClientConfirm id="revert-confirm" client={client} typed={typed} error={typedError} onTyped={setTyped} disabled={busy} /> : null}
      {error ? (
        <p className="callout callout-danger" role="alert">
          Not reverted: {error}
        </p>
      ) : null}
    </Modal>
  );
}
