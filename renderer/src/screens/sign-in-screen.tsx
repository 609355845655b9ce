// Sign-in: the issuer, a button that opens the system browser (RFC 8252: never an embedded
// view), a waiting state with Cancel, and errors in plain words.
import { ExternalLink, KeyRound, LoaderCircle, TriangleAlert } from 'lucide-react';
import { Brand } from '../ui/brand.tsx';
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ContractError, Session } from '../../../shared/contract.ts';
import { call, subscribe } from '../lib/bridge.ts';
import { FieldError } from '../clients/entry-list-field.tsx';

export function signInErrorMessage(error: ContractError, issuer: string): string {
  switch (error.code) {
    case 'offline':
      return `The server at ${issuer} cannot be reached. Check the issuer URL and that the server is running, then try again.`;
    case 'cancelled':
      return 'Sign-in was cancelled.';
    case 'timeout':
      return 'Sign-in timed out: the browser did not come back in time. Try again.';
    case 'validation':
      return error.fields?.[0]?.message ?? error.message;
    default:
      return error.message;
  }
}

export function SignInScreen({ session, onSignedIn }: { session: Session; onSignedIn: (session: Session) => void }) {
  const id = useId();
  const [issuer, setIssuer] = useState(session.issuer);
  const [phase, setPhase] = useState<'idle' | 'waiting' | 'cancelling'>(session.status === 'signing-in' ? 'waiting' : 'idle');
  const [problem, setProblem] = useState<{ message: string; kind: ContractError['code'] } | null>(null);
  const [issuerError, setIssuerError] = useState<string | null>(null);
  const [signInUrl, setSignInUrl] = useState<string | null>(null);
  const ownCall = useRef(false);

  // A sign-in started before this page loaded (a reload while waiting) ends with a session
  // event, not with an answer to a call of ours.
  useEffect(() => {
    if (ownCall.current) return;
    setPhase(session.status === 'signing-in' ? 'waiting' : 'idle');
  }, [session.status]);

  useEffect(() => {
    if (!session.issuer) {
      void call('settings:get', {}).then((result) => {
        if (result.ok) setIssuer((current) => current || result.value.issuerUrl);
      });
    }
  }, [session.issuer]);

  // Serve mode's bridge opens the sign-in tab itself; the address is kept for an "open again"
  // link in case that tab was closed or blocked.
  useEffect(() => subscribe('browser:open-url', ({ url }) => setSignInUrl(url)), []);

  // `forceLogin`: "Sign in as a different user" — the server shows its login page even while its
  // browser session (someone else's, perhaps) is still signed in.
  const signIn = async (event: FormEvent | null, forceLogin = false) => {
    event?.preventDefault();
    if (phase !== 'idle') return;
    const target = issuer.trim();
    if (!target) {
      setIssuerError('Enter the issuer URL of your ThetaSecure server.');
      return;
    }
    setProblem(null);
    setIssuerError(null);
    setSignInUrl(null);
    setPhase('waiting');
    ownCall.current = true;
    const result = await call('session:sign-in', { ...(target !== session.issuer ? { issuer: target } : {}), ...(forceLogin ? { forceLogin: true } : {}) });
    ownCall.current = false;
    setPhase('idle');
    setSignInUrl(null);
    if (result.ok) {
      onSignedIn(result.value);
      return;
    }
    const issuerField = result.error.fields?.find((f) => f.field === 'issuer' || f.field === 'issuerUrl');
    if (issuerField) setIssuerError(issuerField.message);
    else setProblem({ message: signInErrorMessage(result.error, target), kind: result.error.code });
  };

  const cancel = async () => {
    setPhase('cancelling');
    await call('session:cancel-sign-in', {});
  };

  const waiting = phase !== 'idle';

  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <Brand large />
        <h1 className="sign-in-title">Sign in to manage OAuth Clients</h1>
        <p className="muted">You sign in on your ThetaSecure server's own page, in your browser. This app never sees your password.</p>

        {!session.keychainAvailable ? (
          <div className="callout callout-info" role="note">
            <KeyRound aria-hidden size={16} />
            <p>
              <strong>Sign-in will not be remembered.</strong> No keychain is available on this computer, so you will sign in again next time, and the client list is not kept for offline use.
            </p>
          </div>
        ) : null}

        <form className="sign-in-form" onSubmit={signIn} noValidate>
          <div className={`field${issuerError ? ' has-error' : ''}`}>
            <label htmlFor={`${id}-issuer`} className="field-label">
              Issuer
            </label>
            <input
              id={`${id}-issuer`}
              className="input mono"
              value={issuer}
              inputMode="url"
              autoComplete="url"
              spellCheck={false}
              disabled={waiting}
              placeholder="https://login.example.com"
              aria-invalid={issuerError ? true : undefined}
              aria-describedby={issuerError ? `${id}-issuer-error` : undefined}
              onChange={(event) => {
                setIssuer(event.target.value);
                setIssuerError(null);
              }}
            />
            {issuerError ? <FieldError id={`${id}-issuer-error`}>{issuerError}</FieldError> : null}
          </div>

          {problem ? (
            <div className={`callout ${problem.kind === 'cancelled' ? 'callout-info' : 'callout-danger'}`} role="alert">
              <TriangleAlert aria-hidden size={16} />
              <p>{problem.message}</p>
            </div>
          ) : null}

          {waiting ? (
            <div className="sign-in-waiting" role="status">
              <LoaderCircle aria-hidden size={18} className="spin" />
              <div>
                <p>
                  <strong>{phase === 'cancelling' ? 'Cancelling…' : 'Waiting for you to sign in in your browser…'}</strong>
                </p>
                <p className="muted">Finish signing in on the page that opened, then come back here.</p>
                {signInUrl ? (
                  <p>
                    <a href={signInUrl} target="_blank" rel="noopener noreferrer" className="link">
                      Open the sign-in page again <ExternalLink aria-hidden size={12} />
                    </a>
                  </p>
                ) : null}
              </div>
              <button type="button" className="btn btn-secondary" onClick={cancel} disabled={phase === 'cancelling'}>
                Cancel
              </button>
            </div>
          ) : (
            <>
              <button type="submit" className="btn btn-primary btn-block">
                Sign in
              </button>
              <button type="button" className="btn btn-ghost btn-block" onClick={() => void signIn(null, true)}>
                Sign in as a different user
              </button>
            </>
          )}
        </form>
      </div>
    </main>
  );
}
