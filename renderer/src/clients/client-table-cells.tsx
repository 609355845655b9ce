// What each cell of the client table shows. No cell carries a `title`: a tooltip with the
// full text appears only over text that is cut (client-table-body.tsx sets it on hover), so a
// row costs no attribute per cell, and an uncut name does not repeat itself in a tooltip.
import { LabelChips } from '../labels/label-chips.tsx';
import { matchedIn } from '../search/matched-in.ts';
import type { ReactNode } from 'react';
import { grantTypeLabel } from '../../../shared/catalogs.ts';
import type { Client } from '../../../shared/client.ts';
import type { SortKey } from '../lib/client-index.ts';
import { Badge } from '../ui/badge.tsx';
import { CopyButton } from '../ui/copy-button.tsx';
import { DateCell } from './date-cell.tsx';
import { LastUsedCell } from './last-used-column.tsx';

export const KIND_LABELS: Record<Client['kind'], string> = { default: 'Default', sync_connector: 'Sync Connector', custom: 'Custom' };
export const STATUS_LABELS: Record<Client['status'], string> = { active: 'Active', disabled: 'Disabled' };

/** The elements whose text may be cut with an ellipsis: they get a tooltip on hover when it is. */
export const CUT_TEXT_SELECTOR = '.client-name, .cell-client-description, .client-id';

export function StatusLabel({ status }: { status: Client['status'] }) {
  return (
    <span className={`status status-${status}`}>
      <span className="status-dot" aria-hidden />
      {STATUS_LABELS[status]}
    </span>
  );
}

// The name has the first line to itself, so it is cut only when it is longer than the column;
// the kind badge leads the second line, before the description.
function ClientCell({ client, query }: { client: Client; query: string }) {
  const badge = client.kind === 'default' ? <Badge tone="info">Default</Badge> : client.kind === 'sync_connector' ? <Badge tone="muted">Sync Connector</Badge> : null;
  // Issue 11: when the search matched another field, that line replaces the description; labels as chips.
  const matched = matchedIn(client, query);
  return (
    <div className="cell-client">
      <span className="client-name">{client.name}</span>
      {badge || client.description || matched || client.labels.length ? (
        <div className="cell-client-second">
          {badge}
          <LabelChips labels={client.labels} max={2} />
          {matched ? (
            <span className="cell-client-description cell-matched">
              {matched.field}: {matched.value}
            </span>
          ) : client.description ? (
            <span className="cell-client-description">{client.description}</span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

export const CELLS: Record<SortKey, (client: Client, query: string) => ReactNode> = {
  name: (client, query) => <ClientCell client={client} query={query} />,
  clientId: (client) => (
    <div className="cell-client-id">
      <code className="client-id">{client.clientId}</code>
      {/* Not keyed by client: rows are reused by position and the button resets itself when its text changes. */}
      <CopyButton text={client.clientId} label={`Copy client ID ${client.clientId}`} lightweight />
    </div>
  ),
  grantTypes: (client) => (
    <div className="badges badges-nowrap">
      {client.grantTypes.map((grant) => (
        <Badge key={grant} tone="accent">
          {grantTypeLabel(grant)}
        </Badge>
      ))}
    </div>
  ),
  status: (client) => <StatusLabel status={client.status} />,
  createdAt: (client) => <DateCell iso={client.createdAt} />,
  lastUsedAt: (client) => <LastUsedCell client={client} />,
};

export const DATA_COLUMNS: readonly SortKey[] = ['name', 'clientId', 'grantTypes', 'status', 'createdAt', 'lastUsedAt'];
