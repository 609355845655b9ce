// The table's "Last used" column (issue 10): when the client last obtained a token, "Never" for
// a client that has not. Sorted by ClientIndex's `lastUsedAt` order (never-used last when newest
// first). An absolute time, like "Created": rows are memoized on their client, so a relative
// "3 hours ago" would go stale on screen.
import type { Client } from '../../../shared/client.ts';
import { DateCell } from './date-cell.tsx';

export const lastUsedColumn = {
  id: 'lastUsedAt',
  header: 'Last used',
  accessor: (client: Client) => client.lastUsedAt ?? '',
} as const;

export function LastUsedCell({ client }: { client: Client }) {
  if (!client.lastUsedAt) return <span className="cell-last-used muted">Never</span>;
  return <DateCell iso={client.lastUsedAt} />;
}
