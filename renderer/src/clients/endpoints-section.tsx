// The details panel's "Endpoints" (where an application registered here gets its tokens: the
// issuer's URLs from its discovery document, each with a copy button) and "Quick start" (a few
// lines per grant type with the client ID filled in, never the secret).
import type { Client } from '../../../shared/client.ts';
import type { ServerEndpoints } from '../../../shared/contract.ts';
import { quickStarts } from '../lib/quick-starts.ts';
import { CopyButton } from '../ui/copy-button.tsx';

export interface EndpointsState {
  value: ServerEndpoints | null;
  /** Why there are none to show (server unreachable and never read). */
  problem: string | null;
}

const ROWS: Array<{ key: keyof Omit<ServerEndpoints, 'source'>; label: string; copy: string }> = [
  { key: 'issuer', label: 'Issuer', copy: 'Copy issuer URL' },
  { key: 'authorizationEndpoint', label: 'Authorization', copy: 'Copy authorization URL' },
  { key: 'tokenEndpoint', label: 'Token', copy: 'Copy token URL' },
  { key: 'jwksUri', label: 'JWKS', copy: 'Copy JWKS URL' },
];

export function EndpointsSection({ client, endpoints }: { client: Client; endpoints: EndpointsState }) {
  const value = endpoints.value;
  const starts = value ? quickStarts(client, value) : [];
  return (
    <>
      <section className="details-section" aria-labelledby="endpoints-heading">
        <h3 id="endpoints-heading" className="details-section-title">
          Endpoints
        </h3>
        {value ? (
          <dl className="endpoint-list">
            {ROWS.map((row) => (
              <div key={row.key} className="endpoint">
                <dt>{row.label}</dt>
                <dd>
                  <code className="endpoint-url">{value[row.key]}</code>
                  <CopyButton text={value[row.key]} label={row.copy} />
                </dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="muted">{endpoints.problem ?? 'Reading the server’s endpoints…'}</p>
        )}
        {value?.source === 'cache' ? <p className="muted endpoint-note">As last read from the server; it cannot be reached now.</p> : null}
      </section>
      {starts.length > 0 ? (
        <section className="details-section" aria-labelledby="quick-start-heading">
          <h3 id="quick-start-heading" className="details-section-title">
            Quick start
          </h3>
          {starts.map((start) => (
            <div key={start.id} className="quick-start">
              <div className="quick-start-header">
                <h4 id={`${start.id}-title`} className="quick-start-title">
                  {start.title}
                </h4>
                <CopyButton text={start.code} label={`Copy ${start.title}`} showText />
              </div>
              <p className="quick-start-note">{start.note}</p>
              {/* Focusable: a code block wider than the panel scrolls, and the keyboard must reach it. */}
              <pre className="quick-start-code" tabIndex={0} aria-labelledby={`${start.id}-title`} data-testid={start.id}>
                <code>{start.code}</code>
              </pre>
            </div>
          ))}
        </section>
      ) : null}
    </>
  );
}
