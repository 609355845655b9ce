// The one moment a Client Secret can be seen. The secret itself stays in the host under a
// one-time handle; "Reveal" writes it straight into one DOM text node (never into React state
// or props), "Copy" has the host put it on the clipboard and clear it later, and closing the
// dialog discards the handle.
import { Dialog } from 'radix-ui';
import { Check, Copy, Eye, EyeOff, TriangleAlert, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract.ts';
import { call } from '../lib/bridge.ts';
import { copySecret, SECRET_GONE } from '../lib/copy.ts';
import type { ClearOutcome } from '../lib/copy.ts';
import { errorMessage } from '../lib/format.ts';
import { CopyButton } from '../ui/copy-button.tsx';
import { FormProblem } from './form-parts.tsx';
import { focusPanel, useReturnFocus } from '../ui/return-focus.ts';

export const SECRET_ONCE_WARNING =
  'The Client Secret is displayed only once at creation time. Copy it immediately and store it in a secure location such as a secrets manager or vault. If you lose the secret, you will need to delete and recreate the client.';

/** After "Rotate secret…": the same dialog, with words for a new secret of an existing client. */
export const ROTATED_SECRET_WARNING =
  'The new Client Secret is displayed only once. Copy it immediately and store it in a secure location such as a secrets manager or vault, then update the applications that use this client. If you lose it, rotate the secret again.';

export interface SecretOnceDialogProps {
  created: Pick<MethodOutput<'clients:create'>, 'client'> & { secret: NonNullable<MethodOutput<'clients:create'>['secret']> };
  onClosed: () => void;
  /** Default "Client Created" and the page's warning; a rotation says "New Client Secret". */
  title?: string;
  warning?: string;
}

export function SecretOnceDialog({ created, onClosed, title = 'Client Created', warning = SECRET_ONCE_WARNING }: SecretOnceDialogProps) {
  const returnFocus = useReturnFocus(focusPanel);
  const { client, secret } = created;
  const secretNode = useRef<HTMLElement>(null);
  const [revealed, setRevealed] = useState(false);
  const [everRevealed, setEverRevealed] = useState(false);
  const [clearsAt, setClearsAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [confirmClose, setConfirmClose] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<'reveal' | 'copy' | null>(null);
  // Only on the browser-clipboard path (serve mode without a host clipboard) is the outcome known here.
  const [clearOutcome, setClearOutcome] = useState<ClearOutcome | null>(null);
  const closing = useRef(false);

  useEffect(() => {
    if (clearsAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [clearsAt]);

  // If the dialog goes away by any other path (sign-out, the window closing), drop the handle too.
  useEffect(() => {
    const node = secretNode.current;
    return () => {
      if (node) node.textContent = '';
      if (!closing.current) void call('secret:discard', { handle: secret.handle });
    };
  }, [secret.handle]);

  const reveal = async () => {
    if (revealed) {
      if (secretNode.current) secretNode.current.textContent = '';
      setRevealed(false);
      return;
    }
    setBusy('reveal');
    const result = await call('secret:reveal', { handle: secret.handle });
    setBusy(null);
    if (!result.ok) {
      setProblem(result.error.code === 'not_found' ? SECRET_GONE : errorMessage(result.error));
      return;
    }
    if (secretNode.current) secretNode.current.textContent = result.value.secret;
    setProblem(null);
    setConfirmClose(false);
    setRevealed(true);
    setEverRevealed(true);
  };

  const copy = async () => {
    setBusy('copy');
    setClearOutcome(null);
    const result = await copySecret(secret.handle, (outcome) => setClearOutcome(outcome));
    setBusy(null);
    if (!result.ok) {
      setProblem(result.message);
      return;
    }
    setProblem(null);
    setConfirmClose(false);
    // Counted from this machine's clock: the host (or, in serve mode without one, this page) clears after this many seconds.
    setClearsAt(Date.now() + result.clearAfterSeconds * 1000);
    setNow(Date.now());
  };

  const close = async () => {
    closing.current = true;
    if (secretNode.current) secretNode.current.textContent = '';
    await call('secret:discard', { handle: secret.handle });
    onClosed();
  };

  const requestClose = () => {
    if (clearsAt === null && !everRevealed) setConfirmClose(true);
    else void close();
  };

  const remaining = clearsAt === null ? null : Math.max(0, Math.ceil((clearsAt - now) / 1000));
  const mask = `${'•'.repeat(28)}${secret.hint.replace(/^…/, '')}`;

  return (
    <Dialog.Root open onOpenChange={(open) => (open ? undefined : requestClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content
          onCloseAutoFocus={returnFocus}
          className="modal modal-md"
          onEscapeKeyDown={(event) => {
            event.preventDefault();
            requestClose();
          }}
          onPointerDownOutside={(event) => event.preventDefault()}
        >
          <header className="modal-header">
            <Dialog.Title className="modal-title">{title}</Dialog.Title>
            <button type="button" className="btn btn-ghost btn-icon" aria-label="Close" onClick={requestClose}>
              <X aria-hidden size={16} />
            </button>
          </header>
          <div className="modal-body">
            <Dialog.Description asChild>
              <div className="callout callout-warning">
                <TriangleAlert aria-hidden size={16} />
                <p>{warning}</p>
              </div>
            </Dialog.Description>

            <dl className="secret-fields">
              <div className="secret-field">
                <dt>Client Name</dt>
                <dd>{client.name}</dd>
              </div>
              <div className="secret-field">
                <dt>Client ID</dt>
                <dd className="secret-row">
                  <code className="secret-box">{client.clientId}</code>
                  <CopyButton text={client.clientId} label="Copy Client ID" showText />
                </dd>
              </div>
              <div className="secret-field">
                <dt>Client Secret</dt>
                <dd className="secret-row">
                  <span className="secret-box">
                    <span className="secret-mask" hidden={revealed}>
                      <span aria-hidden>{mask}</span>
                      <span className="sr-only">Hidden. Use Reveal to show it, or Copy.</span>
                    </span>
                    {/* Filled by reveal() through the ref; React never renders the secret. */}
                    <code ref={secretNode} className="secret-value" data-testid="client-secret-value" hidden={!revealed} />
                  </span>
                  <button type="button" className="btn btn-secondary btn-with-text" onClick={reveal} disabled={busy !== null} aria-pressed={revealed}>
                    {revealed ? <EyeOff aria-hidden size={14} /> : <Eye aria-hidden size={14} />}
                    {revealed ? 'Hide' : 'Reveal'}
                  </button>
                  <button type="button" className="btn btn-secondary btn-with-text" onClick={copy} disabled={busy !== null}>
                    {clearsAt !== null && remaining !== 0 ? <Check aria-hidden size={14} /> : <Copy aria-hidden size={14} />}
                    Copy
                  </button>
                </dd>
              </div>
            </dl>
            <p className={`secret-status${remaining === 0 && clearOutcome === 'not-checked' ? ' secret-status-warning' : ''}`} role="status">
              {remaining === null ? '' : remaining > 0 ? `Copied — clipboard clears in ${remaining} s` : clearedText(clearOutcome)}
            </p>
            {problem ? <FormProblem>{problem}</FormProblem> : null}
          </div>
          <footer className="modal-footer">
            {confirmClose ? (
              <div className="discard-bar" role="alert">
                <span>You have not copied or revealed the Client Secret. It cannot be shown again.</span>
                <span className="spacer" />
                <button type="button" className="btn btn-secondary" onClick={() => setConfirmClose(false)} autoFocus>
                  Go back
                </button>
                <button type="button" className="btn btn-danger" onClick={() => void close()}>
                  Close without the secret
                </button>
              </div>
            ) : (
              <>
                <span className="spacer" />
                <button type="button" className="btn btn-primary" onClick={requestClose}>
                  Done
                </button>
              </>
            )}
          </footer>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function clearedText(outcome: ClearOutcome | null): string {
  if (outcome === 'left-alone') return 'Clipboard left as it is: something else was copied since';
  if (outcome === 'not-checked') return 'The browser did not let the app check the clipboard: clear it yourself if the secret is still there';
  return 'Clipboard cleared';
}
