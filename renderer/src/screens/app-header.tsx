// The top of the clients screen: the header (issuer, role, connection, account menu) and the
// offline banner that says how old the list on screen is.
import { DropdownMenu } from 'radix-ui';
import { ChevronDown, CloudOff, LogOut, Settings as SettingsIcon } from 'lucide-react';
import { memo } from 'react';
import type { Connectivity, Session } from '../../../shared/contract.ts';
import { formatCachedAt, formatLongDateTime } from '../lib/format.ts';
import { useNow } from '../lib/use-host-state.ts';
import { Brand } from '../ui/brand.tsx';

/** `syncedAt`: when the replica was last in step with the server (null: never, on this computer). */
export function OfflineBanner({ syncedAt }: { syncedAt: string | null }) {
  const now = useNow(30_000);
  return (
    <div className="offline-banner" role="status">
      <CloudOff aria-hidden size={16} />
      <p>
        <strong>
          {syncedAt ? (
            <>
              Offline — showing clients cached{' '}
              <time dateTime={syncedAt} title={formatLongDateTime(syncedAt)}>
                {formatCachedAt(syncedAt, now)}
              </time>
            </>
          ) : (
            'Offline — the client list has not been downloaded yet'
          )}
        </strong>
        <span className="offline-detail"> Changes are disabled. Reconnecting automatically when the server is back.</span>
      </p>
    </div>
  );
}

export const AppHeader = memo(function AppHeader({ session, connectivity, offline, onSettings, onSignOut }: { session: Session; connectivity: Connectivity | null; offline: boolean; onSettings: () => void; onSignOut: () => void }) {
  const name = session.user?.name ?? 'Signed in';
  const role = session.canWrite ? 'Admin · full access' : 'Helpdesk · read-only';
  return (
    <header className="app-header">
      <Brand />
      <span className="app-header-issuer mono" title="Issuer">
        {session.issuer}
      </span>
      <span className="spacer" />
      {!session.canWrite ? <span className="role-pill">Read-only access</span> : null}
      <span className={`conn-pill ${offline ? 'is-offline' : 'is-online'}`} title={connectivity ? `Since ${formatLongDateTime(connectivity.since)}` : undefined}>
        <span className="status-dot" aria-hidden />
        {offline ? 'Offline' : 'Connected'}
      </span>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger className="user-button" aria-label={`Account: ${name}`}>
          <span className="avatar" aria-hidden>
            {name.slice(0, 1).toUpperCase()}
          </span>
          <span className="user-text">
            <span className="user-name">{name}</span>
            <span className="user-role">{role}</span>
          </span>
          <ChevronDown aria-hidden size={14} />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className="menu" align="end" sideOffset={6}>
            <DropdownMenu.Label className="menu-label">
              {name} · {role}
            </DropdownMenu.Label>
            <DropdownMenu.Separator className="menu-separator" />
            <DropdownMenu.Item className="menu-item" onSelect={onSettings}>
              <SettingsIcon aria-hidden size={14} />
              Settings
            </DropdownMenu.Item>
            <DropdownMenu.Item className="menu-item" onSelect={onSignOut}>
              <LogOut aria-hidden size={14} />
              Sign out…
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
    </header>
  );
});
