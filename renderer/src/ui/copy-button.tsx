// Copies a non-secret text (a client ID) through the host's clipboard and says "Copied".
import { Check, Copy } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { call } from '../lib/bridge.ts';
import { Tip } from './tooltip.tsx';

const CHECK_ICON = <Check aria-hidden size={14} />;
const COPY_ICON = <Copy aria-hidden size={14} />;

export function CopyButton({ text, label, showText = false, lightweight = false }: { text: string; label: string; showText?: boolean; lightweight?: boolean }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const copy = async () => {
    const result = await call('clipboard:copy-text', { text });
    setState(result.ok ? 'copied' : 'failed');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 2000);
  };

  const hint = state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : label;
  const button = (
    <button type="button" className={`btn btn-ghost btn-icon btn-sm${showText ? ' btn-with-text' : ''}`} aria-label={label} onClick={copy} data-tooltip={lightweight ? hint : undefined}>
      {state === 'copied' ? CHECK_ICON : COPY_ICON}
      {showText ? <span aria-hidden>{state === 'copied' ? 'Copied' : 'Copy'}</span> : null}
    </button>
  );
  return (
    <span className="copy">
      {lightweight ? button : <Tip content={hint}>{button}</Tip>}
      <span role="status" className={state === 'idle' ? 'sr-only' : 'copy-status'}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy' : ''}
      </span>
    </span>
  );
}
