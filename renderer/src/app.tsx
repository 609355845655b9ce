// Which screen: waiting for the host, signing in, or the clients page.
import { TriangleAlert } from 'lucide-react';
import { Brand } from './ui/brand.tsx';
import { useEffect, useState } from 'react';
import { waitForBridge } from './lib/bridge.ts';
import { errorMessage } from './lib/format.ts';
import { useSession } from './lib/use-host-state.ts';
import { ClientsScreen } from './screens/clients-screen.tsx';
import { SignInScreen } from './screens/sign-in-screen.tsx';
import { DelegatedTooltip } from './ui/delegated-tooltip.tsx';
import { TooltipProvider } from './ui/tooltip.tsx';

export function App() {
  const [bridge, setBridge] = useState<'waiting' | 'ready' | 'missing'>('waiting');
  useEffect(() => {
    let live = true;
    void waitForBridge(5000).then((ready) => {
      if (live) setBridge(ready ? 'ready' : 'missing');
    });
    return () => {
      live = false;
    };
  }, []);

  if (bridge === 'waiting') return <Splash text="Starting…" />;
  if (bridge === 'missing') {
    return (
      <Splash
        problem
        text="ThetaSecure Admin could not connect to its host. Start it with npm start (or npm run serve) and open the address it prints."
      />
    );
  }
  return (
    <TooltipProvider>
      <SessionGate />
      <DelegatedTooltip />
    </TooltipProvider>
  );
}

function SessionGate() {
  const { session, error, setSession, retry } = useSession();
  if (!session) {
    if (error) return <Splash problem text={errorMessage(error)} onRetry={retry} />;
    return <Splash text="Loading…" />;
  }
  if (session.status !== 'signed-in') return <SignInScreen session={session} onSignedIn={setSession} />;
  // A new user (or issuer) starts from a fresh screen: no search, selection or dialog carries over.
  return <ClientsScreen key={`${session.issuer}|${session.user?.subject ?? ''}`} session={session} />;
}

function Splash({ text, problem, onRetry }: { text: string; problem?: boolean; onRetry?: () => void }) {
  return (
    <main className="splash">
      <Brand large />
      <p className={problem ? 'splash-problem' : 'muted'} role={problem ? 'alert' : 'status'}>
        {problem ? <TriangleAlert aria-hidden size={16} /> : null}
        {text}
      </p>
      {onRetry ? (
        <button type="button" className="btn btn-secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </main>
  );
}
