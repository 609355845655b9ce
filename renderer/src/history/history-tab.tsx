// The details panel's History tab (issue 11): who (by name), when, and each changed field
// before → after, newest first, with "Load older". It reloads when the client's version moves,
// so another admin's edit appears as it arrives. "Revert this change" on an update opens
// revert-dialog.tsx: a normal PATCH with the old values.
import { History as HistoryIcon, RotateCcw } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import type { Client } from '../../../shared/client.ts';
import type { HistoryEntry } from '../../../shared/history.ts';
import { call } from '../lib/bridge.ts';
import { errorMessage, formatLongDateTime } from '../lib/format.ts';
import { Button } from '../ui/button.tsx';
import { ACTION_LABELS, changeView, revertPatch } from './history-model.ts';
import type { ChangeView } from './history-model.ts';
import { RevertDialog } from './revert-dialog.tsx';

export function HistoryTab({ client, canWrite, writeDisabledReason, deleted }: { client: Client; canWrite: boolean; writeDisabledReason: string | null; deleted: boolean }) {
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [reverting, setReverting] = useState<HistoryEntry | null>(null);

  const load = useCallback(async (clientId: string, signal: { cancelled: boolean }) => {
    const result = await call('clients:history', { clientId });
    if (signal.cancelled) return;
    if (result.ok) {
      setEntries(result.value.items);
      setCursor(result.value.nextCursor);
      setError(null);
    } else {
      setError(errorMessage(result.error));
    }
  }, []);

  useEffect(() => {
    const signal = { cancelled: false };
    void load(client.clientId, signal);
    return () => {
      signal.cancelled = true;
    };
    // A new version is a new entry at the top.
  }, [client.clientId, client.version, load]);

  async function loadOlder() {
    if (!cursor) return;
    setLoadingMore(true);
    const result = await call('clients:history', { clientId: client.clientId, cursor });
    setLoadingMore(false);
    if (!result.ok) {
      setError(errorMessage(result.error));
      return;
    }
    setEntries((current) => [...(current ?? []), ...result.value.items]);
    setCursor(result.value.nextCursor);
  }

  if (error && entries === null) {
    return (
      <p className="callout callout-danger" role="alert">
        History could not be loaded: {error}
      </p>
    );
  }
  if (entries === null) return <p className="muted">Loading history…</p>;
  if (entries.length === 0) return <p className="muted">No changes recorded for this client.</p>;
  return (
    <section aria-label="History" className="history">
      <ol className="history-list">
        {entries.map((entry) => (
          <li key={entry.id} className="history-entry" data-testid="history-entry">
            <p className="history-head">
              <HistoryIcon aria-hidden size={14} />
              <strong className="history-actor">{entry.actor.name}</strong> <span>{ACTION_LABELS[entry.action]}</span>
              <time dateTime={entry.at} className="muted">
                {formatLongDateTime(entry.at)}
              </time>
            </p>
            {entry.action === 'client.update' || entry.action === 'client.secret.replace' || entry.action === 'client.secret.create' || entry.action === 'client.secret.retire' ? (
              <ul className="history-changes">
                {entry.changes.map((change) => (
                  <ChangeLine key={change.field} view={changeView(change)} />
                ))}
              </ul>
            ) : null}
            {canWrite && !deleted && revertPatch(entry) ? (
              <Button variant="ghost" icon={<RotateCcw aria-hidden size={14} />} disabledReason={writeDisabledReason} onClick={() => setReverting(entry)}>
                Revert this change
              </Button>
            ) : null}
          </li>
        ))}
      </ol>
      {error ? (
        <p className="callout callout-danger" role="alert">
          {error}
        </p>
      ) : null}
      {cursor ? (
        <Button variant="secondary" onClick={() => void loadOlder()} disabledReason={loadingMore ? 'Loading…' : null}>
          Load older changes
        </Button>
      ) : null}
      {reverting ? <RevertDialog client={client} entry={reverting} onClose={() => setReverting(null)} /> : null}
    </section>
  );
}

function ChangeLine({ view }: { view: ChangeView }) {
  if (view.kind === 'list') {
    return (
      <li className="history-change">
        <span className="history-field">{view.label}</span>
        {view.added.length ? <span className="history-added">added {view.added.join(', ')}</span> : null}
        {view.removed.length ? <span className="history-removed">removed {view.removed.join(', ')}</span> : null}
        {!view.added.length && !view.removed.length ? <span className="muted">reordered</span> : null}
      </li>
    );
  }
  return (
    <li className="history-change">
      <span className="history-field">{view.label}</span>
      <span className="history-before">{view.before ?? '—'}</span>
      <span aria-label="changed to"> → </span>
      <span className="history-after">{view.after ?? '—'}</span>
    </li>
  );
}
