// What search and the filters mean for the client list: a client is found by its name, client
// ID, description, redirect URIs, scopes or labels (case-insensitive substring, surrounding spaces ignored), combined with the grant
// type, status and kind filters, and the secret-lifecycle filters of client-filters.ts. The fast version for 100,000 clients is `ClientIndex`.
import { grantTypeLabel } from '../../../shared/catalogs.ts';
import type { GrantType } from '../../../shared/catalogs.ts';
import type { Client, ClientKind, ClientStatus } from '../../../shared/client.ts';
import { hasLifecycleFilter, lifecycleFacts, NO_LIFECYCLE_FILTERS, passesLifecycle } from './client-filters.ts';
import type { LifecycleFilters } from './client-filters.ts';

export interface ClientFilters extends LifecycleFilters {
  query: string;
  grantType: GrantType | 'all';
  status: ClientStatus | 'all';
  kind: ClientKind | 'all';
  /** Issue 11: only clients with this label (absent or 'all': any). */
  label?: string;
}

export const NO_FILTERS: ClientFilters = { query: '', grantType: 'all', status: 'all', kind: 'all', ...NO_LIFECYCLE_FILTERS };

/**
 * What a client is found by: its name and client ID, and (issue 11) its description, redirect
 * URIs, scopes and labels. Built once per version of a client (ClientIndex keeps it), so a
 * keystroke still costs one `indexOf` pass and no allocation per client.
 */
export function searchText(client: Pick<Client, 'name' | 'clientId'> & Partial<Pick<Client, 'description' | 'redirectUris' | 'scopes' | 'labels'>>): string {
  // A separator no one types keeps a query from matching across the end of one field into the next.
  let text = `${client.name}\u0000${client.clientId}`;
  if (client.description) text += `\u0000${client.description}`;
  for (const list of [client.redirectUris, client.scopes, client.labels]) if (list) for (const item of list) text += `\u0000${item}`;
  return text.toLowerCase();
}

/** The grant types as the table shows them ("Authorization Code, Client Credentials"): what that column sorts by. */
export function grantTypesText(client: Pick<Client, 'grantTypes'>): string {
  return client.grantTypes.map(grantTypeLabel).join(', ');
}

/**
 * The reference implementation of search and filters: one pass over every client. The table
 * uses `ClientIndex.view` (client-index.ts), which must answer exactly what this answers; the
 * unit tests hold the two together.
 */
export interface SearchIndex<T> {
  items: readonly T[];
  texts: readonly string[];
  clients: readonly Client[];
}

export function buildSearchIndex<T>(items: readonly T[], clientOf: (item: T) => Client): SearchIndex<T> {
  const clients = items.map(clientOf);
  return { items, clients, texts: clients.map(searchText) };
}

export function normalizeQuery(query: string): string {
  return query.trim().toLowerCase();
}

export function hasLabelFilter(filters: Pick<ClientFilters, 'label'>): boolean {
  return filters.label !== undefined && filters.label !== 'all';
}

export function hasActiveFilters(filters: ClientFilters): boolean {
  return normalizeQuery(filters.query) !== '' || hasLabelFilter(filters) || filters.grantType !== 'all' || filters.status !== 'all' || filters.kind !== 'all' || hasLifecycleFilter(filters);
}

/** The items that match, in index order. Returns `index.items` itself when nothing filters. */
export function filterIndex<T>(index: SearchIndex<T>, filters: ClientFilters): readonly T[] {
  const query = normalizeQuery(filters.query);
  const { grantType, status, kind } = filters;
  if (!query && grantType === 'all' && status === 'all' && kind === 'all' && !hasLabelFilter(filters) && !hasLifecycleFilter(filters)) return index.items;
  const out: T[] = [];
  const { items, texts, clients } = index;
  for (let i = 0; i < items.length; i++) {
    if (query && !texts[i]!.includes(query)) continue;
    const client = clients[i]!;
    if (status !== 'all' && client.status !== status) continue;
    if (kind !== 'all' && client.kind !== kind) continue;
    if (grantType !== 'all' && !client.grantTypes.includes(grantType)) continue;
    if (filters.label && filters.label !== 'all' && !client.labels.includes(filters.label)) continue;
    if (hasLifecycleFilter(filters) && !passesLifecycle(lifecycleFacts(client), filters)) continue;
    out.push(items[i]!);
  }
  return out;
}
