// Import (issue 11): a file picker, the server's dry-run plan as a table (create, update,
// unchanged, conflict, invalid with its field errors), then Apply — one transaction on the
// server, or nothing. Created confidential clients' new secrets follow as a list to copy, under
// the secret-once rules (import-secrets.tsx).
import { useState } from 'react';
import type { MethodOutput } from '../../../shared/contract.ts';
import { call } from '../lib/bridge.ts';
import { errorMessage, formatCount } from '../lib/format.ts';
import { Button } from '../ui/button.tsx';
import { Modal } from '../ui/modal.tsx';
import { ImportSecrets } from './import-secrets.tsx';

type Plan = MethodOutput<'clients:import'>;
const OUTCOME_LABELS: Record<Plan['items'][number]['outcome'], string> = { create: 'Create', update: 'Update', unchanged: 'Unchanged', conflict: 'Conflict', invalid: 'Invalid' };

export function ImportDialog({ onClose }: { onClose: () => void }) {
  const [text, setText] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function preview(content: string) {
    setBusy(true);
    const result = await call('clients:import', { text: content, dryRun: true });
    setBusy(false);
    if (!result.ok) {
      setPlan(null);
      setError(result.error.fields?.length ? result.error.fields.map((f) => `${f.field}: ${f.message}`).join(' ') : errorMessage(result.error));
      return;
    }
    setError(null);
    setPlan(result.value);
  }

  async function apply() {
    if (text === null) return;
    setBusy(true);
    const result = await call('clients:import', { text, dryRun: false });
    setBusy(false);
    if (!result.ok) {
      setError(errorMessage(result.error));
      return;
    }
    setPlan(result.value);
  }

  if (plan?.applied) {
    return (
      <Modal open onOpenChange={(open) => (open ? undefined : onClose())} title="Import done" size="lg" footer={<Button variant="primary" onClick={onClose}>Close</Button>}>
        <p role="status">
          Created {formatCount(plan.summary.create ?? 0)}, updated {formatCount(plan.summary.update ?? 0)}, unchanged {formatCount(plan.summary.unchanged ?? 0)}.
        </p>
        {plan.secrets.length ? <ImportSecrets secrets={plan.secrets} /> : null}
      </Modal>
    );
  }

  const blocked = plan ? (plan.summary.invalid ?? 0) + (plan.summary.conflict ?? 0) : 0;
  const writes = plan ? (plan.summary.create ?? 0) + (plan.summary.update ?? 0) : 0;
  return (
    <Modal
      open
      onOpenChange={(open) => (open ? undefined : onClose())}
      title="Import clients"
      description="Choose a file exported by ThetaSecure Admin. Nothing is written until you apply the plan."
      size="lg"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button
            variant="primary"
            onClick={() => void apply()}
            disabledReason={busy ? 'Working…' : !plan ? 'Choose a file first.' : blocked ? 'Fix the invalid and conflicting entries first: an import is applied whole or not at all.' : writes === 0 ? 'Nothing to change.' : null}
          >
            Apply
          </Button>
        </>
      }
    >
      <div className="field">
        <label htmlFor="import-file" className="field-label">
          Export file (.json)
        </label>
        <input
          id="import-file"
          type="file"
          accept="application/json,.json"
          onChange={async (event) => {
            const file = event.target.files?.[0];
            if (!file) return;
            setFileName(file.name);
            const content = await file.text();
            setText(content);
            await preview(content);
          }}
        />
      </div>
      {error ? (
        <p className="callout callout-danger" role="alert">
          {error}
        </p>
      ) : null}
      {plan ? (
        <>
          <p role="status">
            {fileName}: {(['create', 'update', 'unchanged', 'conflict', 'invalid'] as const).map((outcome) => `${formatCount(plan.summary[outcome] ?? 0)} ${OUTCOME_LABELS[outcome].toLowerCase()}`).join(', ')}.
          </p>
          <table className="import-plan" aria-label="Import plan">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Client</th>
                <th scope="col">Plan</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {plan.items.map((item) => (
                <tr key={item.index} className={`plan-${item.outcome}`}>
                  <td>{item.index + 1}</td>
                  <td>
                    {item.name ?? <span className="muted">(no name)</span>}
                    {item.clientId ? (
                      <>
                        <br />
                        <code>{item.clientId}</code>
                      </>
                    ) : null}
                  </td>
                  <td>{OUTCOME_LABELS[item.outcome]}</td>
                  <td>
                    {item.errors?.map((e) => (
                      <div key={e.field}>
                        <code>{e.field}</code>: {e.message}
                      </div>
                    ))}
                    {item.reason ? <div>{item.reason}</div> : null}
                    {item.fields?.length && item.outcome === 'update' ? <div>Changes {item.fields.join(', ')}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Modal>
  );
}
