// One bulk action's dialog (issue 11): what will happen to how many clients (default clients
// left out of Disable and Delete, with a note), a label for the label actions, the typed count
// for Delete; then the results, row by row for the clients where it did not work.
import { useState } from 'react';
import type { BatchAction, BatchResult } from '../../../shared/client-batch.ts';
import { labelProblem, normalizeLabel } from '../../../shared/labels.ts';
import { call } from '../lib/bridge.ts';
import { errorMessage, formatCount } from '../lib/format.ts';
import { Button } from '../ui/button.tsx';
import { Modal } from '../ui/modal.tsx';

const TITLES: Record<BatchAction, string> = {
  enable: 'Enable clients',
  disable: 'Disable clients',
  addLabel: 'Add a label',
  removeLabel: 'Remove a label',
  delete: 'Delete clients',
};
const VERBS: Record<BatchAction, string> = { enable: 'Enable', disable: 'Disable', addLabel: 'Add label', removeLabel: 'Remove label', delete: 'Delete' };

export function BulkDialog({ action, selected, defaults, onClose, onDone }: { action: BatchAction; selected: readonly string[]; defaults: number; onClose: () => void; onDone: () => void }) {
  const [label, setLabel] = useState('');
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<{ succeeded: number; failed: BatchResult[] } | null>(null);
  const skipsDefaults = action === 'disable' || action === 'delete';
  const affected = skipsDefaults ? selected.length - defaults : selected.length;
  const needsLabel = action === 'addLabel' || action === 'removeLabel';

  async function run() {
    const normalized = normalizeLabel(label);
    if (needsLabel) {
      const problem = labelProblem(normalized);
      if (problem) {
        setError(problem);
        return;
      }
    }
    if (action === 'delete' && typed.trim() !== String(affected)) {
      setError(`Type ${affected} to confirm deleting ${formatCount(affected)} clients.`);
      return;
    }
    setError(null);
    setBusy(true);
    const result = await call('clients:batch', { action, clientIds: [...selected], ...(needsLabel ? { label: normalized } : {}) });
    setBusy(false);
    if (!result.ok) {
      setError(errorMessage(result.error));
      return;
    }
    setResults({ succeeded: result.value.succeeded, failed: result.value.results.filter((r) => !r.ok) });
  }

  // The selection is cleared once the results are read: clearing it unmounts the bar, and this dialog with it.
  const finish = () => {
    onClose();
    onDone();
  };

  if (results) {
    return (
      <Modal open onOpenChange={(open) => (open ? undefined : finish())} title={TITLES[action]} footer={<Button variant="primary" onClick={finish}>Close</Button>}>
        <p role="status">
          Done for {formatCount(results.succeeded)} {results.succeeded === 1 ? 'client' : 'clients'}
          {results.failed.length ? `; not done for ${formatCount(results.failed.length)}:` : '.'}
        </p>
        {results.failed.length ? (
          <ul className="bulk-failures" aria-label="Clients not changed">
            {results.failed.map((r) => (
              <li key={r.clientId}>
                <code>{r.clientId}</code> — {r.ok ? '' : r.problem.detail}
              </li>
            ))}
          </ul>
        ) : null}
      </Modal>
    );
  }

  return (
    <Modal
      open
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={TITLES[action]}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button variant={action === 'delete' ? 'danger' : 'primary'} onClick={() => void run()} disabledReason={busy ? 'Working…' : affected === 0 ? 'No client this applies to.' : null}>
            {VERBS[action]} {formatCount(affected)} {affected === 1 ? 'client' : 'clients'}
          </Button>
        </>
      }
    >
      <p>
        {VERBS[action]}: {formatCount(affected)} of the {formatCount(selected.length)} selected clients.
      </p>
      {skipsDefaults && defaults > 0 ? (
        <p className="callout callout-warning" role="note">
          {formatCount(defaults)} default {defaults === 1 ? 'client is' : 'clients are'} left out: default clients are not {action === 'delete' ? 'deleted' : 'disabled'} in bulk. Open one to do it with confirmation.
        </p>
      ) : null}
      {needsLabel ? (
        <div className="field">
          <label htmlFor="bulk-label" className="field-label">
            Label (key or key:value)
          </label>
          <input id="bulk-label" className="input mono" value={label} autoComplete="off" spellCheck={false} onChange={(event) => setLabel(event.target.value.toLowerCase())} />
        </div>
      ) : null}
      {action === 'delete' ? (
        <div className="field">
          <label htmlFor="bulk-delete-count" className="field-label">
            Type {affected} to confirm
          </label>
          <input id="bulk-delete-count" className="input mono" inputMode="numeric" value={typed} autoComplete="off" onChange={(event) => setTyped(event.target.value)} />
        </div>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </Modal>
  );
}
