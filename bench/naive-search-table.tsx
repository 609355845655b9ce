// The baseline of the renderer benchmark: how a client table is usually first written. Every
// keystroke filters with toLowerCase() on each client, a click on "Client" sorts with
// localeCompare, and every matching row is rendered (no index, no virtualization, no memoized
// rows). Bundled by the benchmark with esbuild; reads the same generated clients the real
// renderer gets, from `window.benchClients`.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { grantTypeLabel } from '../shared/catalogs.ts';
import type { Client } from '../shared/client.ts';

declare global {
  interface Window {
    benchClients?: Client[];
  }
}

function NaiveClientTable({ clients }: { clients: Client[] }) {
  const [query, setQuery] = useState('');
  const [byName, setByName] = useState<'asc' | 'desc' | null>(null);
  const q = query.trim().toLowerCase();
  const filtered = clients.filter((client) => client.name.toLowerCase().includes(q) || client.clientId.toLowerCase().includes(q));
  const shown = byName ? filtered.sort((a, b) => (byName === 'asc' ? a.name.localeCompare(b.name) : b.name.localeCompare(a.name))) : filtered;
  return (
    <main>
      <input type="search" aria-label="Search clients" value={query} onChange={(event) => setQuery(event.target.value)} />
      <span>
        {shown.length.toLocaleString('en-US')} of {clients.length.toLocaleString('en-US')} clients
      </span>
      {/* A bounded scroll box, as in the app, so the scroll measurement scrolls the same way. */}
      <div className="table-scroll" style={{ height: '80vh' }}>
        <table>
          <thead>
            <tr>
              <th>
                <button type="button" onClick={() => setByName((current) => (current === 'asc' ? 'desc' : 'asc'))}>
                  Client
                </button>
              </th>
              <th>Client ID</th>
              <th>Grant Types</th>
              <th>Status</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((client) => (
              <tr key={client.clientId}>
                <td>{client.name}</td>
                <td>
                  <code>{client.clientId}</code>
                </td>
                <td>
                  {client.grantTypes.map((grant) => (
                    <span key={grant} className="badge">
                      {grantTypeLabel(grant)}
                    </span>
                  ))}
                </td>
                <td>{client.status === 'active' ? 'Active' : 'Disabled'}</td>
                <td>{new Date(client.createdAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </main>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<NaiveClientTable clients={window.benchClients ?? []} />);
