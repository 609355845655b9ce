// Which field a search matched (issue 11), for the small line under a row: "redirect URI: …".
// Computed only for the rows in view, at render: the index (client-index.ts) already decided
// that the client matches; this says where, when it is not the name or the client ID (both are
// on the row already).
import type { Client } from '../../../shared/client.ts';
import { normalizeQuery } from '../lib/client-search.ts';

export interface MatchedIn {
  field: 'description' | 'redirect URI' | 'scope' | 'label';
  value: string;
}

export function matchedIn(client: Pick<Client, 'name' | 'clientId' | 'description' | 'redirectUris' | 'scopes' | 'labels'>, rawQuery: string): MatchedIn | null {
  const query = normalizeQuery(rawQuery);
  if (!query) return null;
  if (client.name.toLowerCase().includes(query) || client.clientId.toLowerCase().includes(query)) return null;
  const lists: [MatchedIn['field'], readonly string[]][] = [
    ['redirect URI', client.redirectUris],
    ['scope', client.scopes],
    ['label', client.labels],
  ];
  for (const [field, values] of lists) {
    const value = values.find((each) => each.toLowerCase().includes(query));
    if (value !== undefined) return { field, value };
  }
  if (client.description.toLowerCase().includes(query)) return { field: 'description', value: client.description };
  return null;
}
