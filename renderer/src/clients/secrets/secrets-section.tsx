// The details panel's "Secrets" section: how the client authenticates and, for a client with
// secrets, each secret's hint, dates and status, with "Rotate secret…" and "Retire" for those
// who may write. Helpdesk sees the same list without the buttons, and never a secret: the only
// way a secret reaches the screen is the secret-once dialog right after a rotation.
import { KeyRound, RotateCw } from 'lucide-react';
import { useEffect, useState } from 'react';
import { TOKEN_ENDPOINT_AUTH_METHOD_LABELS } from '../../../../shared/client.ts';
import type { Client, SecretMeta } from '../../../../shared/client.ts';
import type { MethodOutput } from '../../../../shared/contract.ts';
import { EXPIRING_WITHIN_DAYS } from '../../lib/client-filters.ts';
import { formatAge, formatDateTime } from '../../lib/format.ts';
import { hasSecrets, retireBlockedReason, rotateBlockedReason, SECRET_STATUS_LABELS, secretRows } from '../../lib/secret-rotation.ts';
import type { SecretRow } from '../../lib/secret-rotation.ts';
import { Badge } from '../../ui/badge.tsx';
import type { BadgeTone } from '../../ui/badge.tsx';
import { Button } from '../../ui/button.tsx';
import { ROTATED_SECRET_WARNING, SecretOnceDialog } from '../secret-once-dialog.tsx';
import { RetireSecretDialog } from './retire-secret-dialog.tsx';
import { RotateSecretDialog } from './rotate-secret-dialog.tsx';
import { hintText, maskedHint } from './secret-hint.ts';

export interface SecretsSectionProps {
  client: Client;
  canWrite: boolean;
  /** Why writing is unavailable now (offline), or null. */
  writeDisabledReason: string | null;
  /** The client was deleted elsewhere: nothing can be changed. */
  deleted?: boolean;
}

type Open = { type: 'none' } | { type: 'rotate' } | { type: 'retire'; secret: SecretMeta } | { type: 'secret'; rotated: MethodOutput<'secrets:rotate'> };

const STATUS_TONES: Record<SecretRow['status'], BadgeTone> = { active: 'success', expired: 'warning', retired: 'muted' };

/** Statuses move with time alone (an expiry, the end of an overlap window): look again each minute. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function SecretsSection({ client, canWrite, writeDisabledReason, deleted = false }: SecretsSectionProps) {
  const now = useMinuteClock();
  const [open, setOpen] = useState<Open>({ type: 'none' });
  const close = () => setOpen({ type: 'none' });
  const writable = canWrite && !deleted;
  const rows = secretRows(client, now);
  const working = rows.some((row) => row.status === 'active');

  return (
    <section className="details-section" aria-labelledby="secrets-heading">
      <div className="details-section-header">
        <h3 id="secrets-heading" className="details-section-title">
          Secrets
        </h3>
        {writable && hasSecrets(client) ? (
          <Button variant="secondary" className="btn-sm" icon={<RotateCw aria-hidden size={14} />} disabledReason={writeDisabledReason ?? rotateBlockedReason(rows)} onClick={() => setOpen({ type: 'rotate' })}>
            Rotate secret…
          </Button>
        ) : null}
      </div>
      <p className="details-section-intro">
        <KeyRound aria-hidden size={14} /> {TOKEN_ENDPOINT_AUTH_METHOD_LABELS[client.tokenEndpointAuthMethod]}
      </p>
      <p className="details-section-intro">
        Last obtained a token: {client.lastUsedAt ? <time dateTime={client.lastUsedAt} title={formatDateTime(client.lastUsedAt)}>{formatAge(client.lastUsedAt, now)}</time> : 'never'}
      </p>

      {!hasSecrets(client) ? (
        <p className="muted">{client.tokenEndpointAuthMethod === 'none' ? 'A public client has no secret: it signs users in with Authorization Code and PKCE.' : keySourceText(client)}</p>
      ) : rows.length === 0 ? (
        <p className="muted">This client has no secret. {writable ? 'Rotate to create one.' : ''}</p>
      ) : (
        <ul className="secret-list" aria-label="Secrets">
          {rows.map((row) => (
            <SecretItem
              key={row.secret.id}
              row={row}
              now={now}
              retire={writable && row.status === 'active' ? { blockedReason: writeDisabledReason ?? retireBlockedReason(rows, row.secret.id), onRetire: () => setOpen({ type: 'retire', secret: row.secret }) } : null}
            />
          ))}
        </ul>
      )}

      {open.type === 'rotate' ? <RotateSecretDialog client={client} hasWorkingSecret={working} unavailableReason={writeDisabledReason} onClose={close} onRotated={(rotated) => setOpen({ type: 'secret', rotated })} /> : null}
      {open.type === 'retire' ? <RetireSecretDialog client={client} secret={open.secret} unavailableReason={writeDisabledReason} onClose={close} onRetired={close} /> : null}
      {open.type === 'secret' ? (
        <SecretOnceDialog created={{ client: open.rotated.client ?? client, secret: open.rotated.secret }} title="New Client Secret" warning={ROTATED_SECRET_WARNING} onClosed={close} />
      ) : null}
    </section>
  );
}

function keySourceText(client: Client): string {
  if (client.jwksUri) return `It signs its token requests with a private key; ThetaSecure checks them against the keys published at ${client.jwksUri}.`;
  const count = client.jwks?.keys.length ?? 0;
  return `It signs its token requests with a private key; ThetaSecure checks them against ${count === 1 ? 'the public key' : `${count} public keys`} pasted here.`;
}

function When({ iso, now, never }: { iso: string | null; now: number; never: string }) {
  if (!iso) return <span className="muted">{never}</span>;
  return (
    <time dateTime={iso} title={formatAge(iso, now)}>
      {formatDateTime(iso)}
    </time>
  );
}

function SecretItem({ row, now, retire }: { row: SecretRow; now: number; retire: { blockedReason: string | null; onRetire: () => void } | null }) {
  const { secret, status, retiring } = row;
  const label = maskedHint(secret.hint);
  const expiresSoon = status === 'active' && !retiring && secret.expiresAt !== null && Date.parse(secret.expiresAt) - now < EXPIRING_WITHIN_DAYS * 86_400_000;
  return (
    <li className={`secret-item secret-item-${status}`} aria-label={`Secret ending ${hintText(secret.hint)}, ${SECRET_STATUS_LABELS[status]}`}>
      <div className="secret-item-head">
        <code className="mono">{label}</code>
        <Badge tone={retiring || expiresSoon ? 'warning' : STATUS_TONES[status]}>{retiring ? 'Active — retiring' : expiresSoon ? 'Active — expires soon' : SECRET_STATUS_LABELS[status]}</Badge>
        <span className="spacer" />
        {retire ? (
          <Button variant="danger-ghost" className="btn-sm" disabledReason={retire.blockedReason} onClick={retire.onRetire} aria-label={`Retire secret ending ${hintText(secret.hint)}`}>
            Retire
          </Button>
        ) : null}
      </div>
      <dl className="secret-item-facts">
        <div>
          <dt>Created</dt>
          <dd>
            <When iso={secret.createdAt} now={now} never="—" />
          </dd>
        </div>
        <div>
          <dt>{status === 'expired' ? 'Expired' : 'Expires'}</dt>
          <dd>
            <When iso={secret.expiresAt} now={now} never="Never" />
          </dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>{secret.lastUsedAt ? <time dateTime={secret.lastUsedAt} title={formatDateTime(secret.lastUsedAt)}>{formatAge(secret.lastUsedAt, now)}</time> : <span className="muted">Never</span>}</dd>
        </div>
        {secret.retiresAt ? (
          <div>
            <dt>{status === 'retired' ? 'Retired' : 'Retires'}</dt>
            <dd>
              <When iso={secret.retiresAt} now={now} never="—" />
            </dd>
          </div>
        ) : null}
      </dl>
    </li>
  );
}
