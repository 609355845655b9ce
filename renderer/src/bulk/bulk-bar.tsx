// The bulk-action bar (issue 11), shown over the toolbar while clients are checked: how many,
// "Select all N matching", and Enable, Disable, Add label, Remove label, Export, Delete. Default
// clients are left out of Disable and Delete, and the bar says so before anything is sent.
import { CheckSquare, Download, Power, PowerOff, Tag, Trash, X } from 'lucide-react';
import { useState } from 'react';
import type { BatchAction } from '../../../shared/client-batch.ts';
import type { Client } from '../../../shared/client.ts';
import { formatCount } from '../lib/format.ts';
import { Button } from '../ui/button.tsx';
import { BulkDialog } from './bulk-dialog.tsx';
import { exportClients } from '../transfer/export-clients.ts';

export interface BulkBarProps {
  selected: readonly string[];
  matching: number;
  clientOf: (clientId: string) => Client | undefined;
  onSelectAll: () => void;
  onClear: () => void;
  canWrite: boolean;
  writeDisabledReason: string | null;
}

export function BulkBar({ selected, matching, clientOf, onSelectAll, onClear, canWrite, writeDisabledReason }: BulkBarProps) {
  const [action, setAction] = useState<BatchAction | null>(null);
  const [exportNote, setExportNote] = useState<string | null>(null);
  const defaults = selected.filter((id) => clientOf(id)?.kind === 'default').length;
  const none = selected.length === 0 ? 'Check clients first.' : null;

  async function doExport() {
    setExportNote('Exporting…');
    const result = await exportClients(selected);
    setExportNote(result);
  }

  return (
    <div className="bulk-bar" role="group" aria-label="Bulk actions">
      <strong>{formatCount(selected.length)} selected</strong>
      {selected.length < matching ? (
        <Button variant="ghost" icon={<CheckSquare aria-hidden size={14} />} onClick={onSelectAll}>
          Select all {formatCount(matching)} matching
        </Button>
      ) : null}
      {canWrite ? (
        <>
          <Button variant="secondary" icon={<Power aria-hidden size={14} />} disabledReason={writeDisabledReason ?? none} onClick={() => setAction('enable')}>
            Enable
          </Button>
          <Button variant="secondary" icon={<PowerOff aria-hidden size={14} />} disabledReason={writeDisabledReason ?? none} onClick={() => setAction('disable')}>
            Disable
          </Button>
          <Button variant="secondary" icon={<Tag aria-hidden size={14} />} disabledReason={writeDisabledReason ?? none} onClick={() => setAction('addLabel')}>
            Add label
          </Button>
          <Button variant="secondary" icon={<Tag aria-hidden size={14} />} disabledReason={writeDisabledReason ?? none} onClick={() => setAction('removeLabel')}>
            Remove label
          </Button>
        </>
      ) : null}
      <Button variant="secondary" icon={<Download aria-hidden size={14} />} disabledReason={none} onClick={() => void doExport()}>
        Export
      </Button>
      {canWrite ? (
        <Button variant="danger" icon={<Trash aria-hidden size={14} />} disabledReason={writeDisabledReason ?? none} onClick={() => setAction('delete')}>
          Delete
        </Button>
      ) : null}
      <Button variant="ghost" icon={<X aria-hidden size={14} />} onClick={onClear}>
        Clear selection
      </Button>
      {exportNote ? (
        <span role="status" className="muted">
          {exportNote}
        </span>
      ) : null}
      {action ? <BulkDialog action={action} selected={selected} defaults={defaults} onClose={() => setAction(null)} onDone={onClear} /> : null}
    </div>
  );
}
