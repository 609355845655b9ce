// How many clients carry each label (issue 11), for the label filter: one pass over the index's
// clients, kept until the index changes (its version), so a keystroke or a render costs nothing.
import type { ClientIndex } from '../lib/client-index.ts';

let cached: { index: ClientIndex; version: number; counts: [string, number][] } | null = null;

export function labelCounts(index: ClientIndex): [string, number][] {
  if (cached && cached.index === index && cached.version === index.version) return cached.counts;
  const counts = new Map<string, number>();
  for (const entry of index.order('name')) for (const label of entry.client.labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  cached = { index, version: index.version, counts: sorted };
  return sorted;
}
