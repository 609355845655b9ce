// Copies a non-secret text (a client ID, a URL, a quick start) and says "Copied" — or, when
// copying failed, says so as an error (error colour, icon, role=alert) and what to do instead.
import { Check, CircleAlert, Copy } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { copyText } from '../lib/copy.ts';
import { Tip } from './tooltip.tsx';

const CHECK_ICON = <Check aria-hidden size={14} />;
const COPY_ICON = <Copy aria-hidden size={14} />;
const FAILED_ICON = <CircleAlert aria-hidden size={14} />;

type CopyState = { kind: 'idle' | 'copied'; text: string } | { kind: 'failed'; message: string; text: string };

export function CopyButton({ text, label, showText = false, lightweight = false }: { text: string; label: string; showText?: boolean; lightweight?: boolean }) {
  const [copyState, setState] = useState<CopyState>({ kind: 'idle', text });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  // "Copied" belongs to the text that was copied: a table row element reused for another client
  // gets this same button with a new text, and shows it idle (no remount per refilled row).
  const state: CopyState = copyState.text === text ? copyState : { kind: 'idle', text };

  const copy = async () => {
    const result = await copyText(text);
    setState(result.ok ? { kind: 'copied', text } : { kind: 'failed', message: result.message, text });
    clearTimeout(timer.current);
    // An error stays long enough to be read; "Copied" is a glance.
    timer.current = setTimeout(() => setState({ kind: 'idle', text }), result.ok ? 2000 : 8000);
  };

  const hint = state.kind === 'copied' ? 'Copied' : state.kind === 'failed' ? state.message : label;
  const button = (
    <button
      type="button"
      className={`btn btn-ghost btn-icon btn-sm${showText ? ' btn-with-text' : ''}${state.kind === 'failed' ? ' is-copy-failed' : ''}`}
      aria-label={label}
      onClick={copy}
      data-tooltip={lightweight ? hint : undefined}
    >
      {state.kind === 'copied' ? CHECK_ICON : state.kind === 'failed' ? FAILED_ICON : COPY_ICON}
      {showText ? <span aria-hidden>{state.kind === 'copied' ? 'Copied' : 'Copy'}</span> : null}
    </button>
  );
  return (
    <span className="copy">
      {lightweight ? button : <Tip content={hint}>{button}</Tip>}
      {state.kind === 'failed' ? (
        <span role="alert" className="copy-status copy-status-error">
          {lightweight ? (
            <>
              Copy failed<span className="sr-only">{state.message.replace(/^Copy failed/, '')}</span>
            </>
          ) : (
            state.message
          )}
        </span>
      ) : (
        <span role="status" className={state.kind === 'idle' ? 'sr-only' : 'copy-status'}>
          {state.kind === 'copied' ? 'Copied' : ''}
        </span>
      )}
    </span>
  );
}
