// The table's "Last used" column (issue 10): when the client last obtained a token, "Never" for
// a client that has not. Sorted by ClientIndex's `lastUsedAt` order (never-used last when newest
// first). An absolute time, like "Created": rows are memoized on their client, so a relative
// "3 hours ago" would go stale on screen.
import type { Client } from '../../../shared/client.ts';
import { formatDateTime } from '../lib/format.ts';

export const lastUsedColumn = {
  id: 'lastUsedAt',
  header: 'Last used',
  accessor: (client: Client) => client.lastUsedAt ?? '',
} as const;

const formatted = new Map<string, string>();
function lastUsedText(iso: string): string {
  let text = formatted.get(iso);
  if (text === undefined) {
    text = formatDateTime(iso);
    // Last-used times are many and change often: keep the cache bounded.
    if (formatted.size > 5_000) formatted.clear();
    formatted.set(iso, text);
  }
  return text;
}

export function LastUsedCell({ client }: { client: Client }) {
  if (!client.lastUsedAt) return <span className="cell-last-used muted">Never</span>;
  return (
    <time className="cell-last-used" dateTime={client.lastUsedAt}>
      {lastUsedText(client.lastUsedAt)}
    </time>
  );
}
