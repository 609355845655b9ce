// Editing a client's labels in the details panel (issue 11): chips with a remove button, a field
// that adds what is typed (lower-cased; Enter or comma), checked with the shared rules, saved
// as an ordinary PATCH (clients:update) — a default client asks for its typed ID first.
import { Tag, X } from 'lucide-react';
import { useState } from 'react';
import type { Client } from '../../../shared/client.ts';
import { LABELS_MAX, labelListProblems, labelProblem, normalizeLabel } from '../../../shared/labels.ts';
import { DefaultClientConfirm, typedConfirmationProblem } from '../clients/default-client-confirm.tsx';
import { call } from '../lib/bridge.ts';
import { errorMessage } from '../lib/format.ts';
import { Button } from '../ui/button.tsx';
import { LabelChips } from './label-chips.tsx';

export function LabelEditor({ client, canWrite, writeDisabledReason, deleted }: { client: Client; canWrite: boolean; writeDisabledReason: string | null; deleted: boolean }) {
  const [draft, setDraft] = useState<string[] | null>(null);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (draft === null) {
    return (
      <span className="label-view">
        {client.labels.length ? <LabelChips labels={client.labels} /> : <span className="muted">No labels</span>}
        {canWrite && !deleted ? (
          <Button variant="ghost" icon={<Tag aria-hidden size={14} />} disabledReason={writeDisabledReason} onClick={() => setDraft([...client.labels])}>
            Edit labels
          </Button>
        ) : null}
      </span>
    );
  }

  function add(raw: string) {
    const label = normalizeLabel(raw);
    if (!label) return;
    const problem = labelProblem(label) ?? (draft!.includes(label) ? `"${label}" is already there.` : draft!.length >= LABELS_MAX ? `At most ${LABELS_MAX} labels.` : null);
    if (problem) {
      setError(problem);
      return;
    }
    setDraft([...draft!, label].sort());
    setText('');
    setError(null);
  }

  async function save() {
    const pending = normalizeLabel(text);
    const labels = pending && !draft!.includes(pending) ? [...draft!, pending].sort() : draft!;
    const problems = labelListProblems(labels);
    if (problems.length) {
      setError(problems[0]![1]);
      return;
    }
    if (client.kind === 'default') {
      const problem = typedConfirmationProblem(client, typed);
      setTypedError(problem);
      if (problem) return;
    }
    setBusy(true);
    const result = await call('clients:update', { clientId: client.clientId, version: client.version, changes: { labels }, ...(client.kind === 'default' ? { confirmDefaultClient: true } : {}) });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.fields?.[0]?.message ?? errorMessage(result.error));
      return;
    }
    setDraft(null);
    setText('');
    setTyped('');
  }

  return (
    <div className="label-editor">
      <span className="label-chips">
        {draft.map((label) => (
          <span key={label} className="label-chip">
            {label}
            <button type="button" className="label-remove" aria-label={`Remove label ${label}`} onClick={() => setDraft(draft.filter((each) => each !== label))}>
              <X aria-hidden size={12} />
            </button>
          </span>
        ))}
      </span>
      <div className={`field${error ? ' has-error' : ''}`}>
        <label htmlFor="label-input" className="field-label">
          Add a label (key or key:value, e.g. team:payments)
        </label>
        <input
          id="label-input"
          className="input mono"
          value={text}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'label-input-error' : undefined}
          onChange={(event) => {
            const value = event.target.value;
            if (value.endsWith(',')) add(value.slice(0, -1));
            else setText(value.toLowerCase());
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add(text);
            }
          }}
        />
        {error ? (
          <p id="label-input-error" className="field-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      {client.kind === 'default' ? <DefaultClientConfirm id="labels-confirm" client={client} typed={typed} error={typedError} onTyped={setTyped} disabled={busy} /> : null}
      <span className="label-actions">
        <Button variant="primary" onClick={() => void save()} disabledReason={busy ? 'Saving…' : null}>
          Save labels
        </Button>
        <Button
          variant="secondary"
          onClick={() => {
            setDraft(null);
            setError(null);
            setText('');
          }}
        >
          Cancel
        </Button>
      </span>
    </div>
  );
}
