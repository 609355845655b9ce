// The new secrets of imported confidential clients (issue 11), under the secret-once rules: each
// stays in the host under a one-time handle; Reveal writes it into one DOM text node (never into
// React state), Copy has the host put it on the clipboard (and clear it later); leaving the
// dialog discards every handle.
import { Copy, Eye } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { call } from '../lib/bridge.ts';
import { errorMessage } from '../lib/format.ts';
import { SECRET_ONCE_WARNING } from '../clients/secret-once-dialog.tsx';

interface Held {
  clientId: string;
  name: string;
  secret: { handle: string; hint: string };
}

export function ImportSecrets({ secrets }: { secrets: readonly Held[] }) {
  useEffect(
    () => () => {
      for (const { secret } of secrets) void call('secret:discard', { handle: secret.handle });
    },
    [secrets],
  );
  return (
    <section aria-label="New client secrets">
      <p className="callout callout-warning">{SECRET_ONCE_WARNING}</p>
      <ul className="import-secrets">
        {secrets.map((held) => (
          <SecretLine key={held.clientId} held={held} />
        ))}
      </ul>
    </section>
  );
}

function SecretLine({ held }: { held: Held }) {
  const node = useRef<HTMLElement>(null);
  const [note, setNote] = useState<string | null>(null);
  return (
    <li className="import-secret">
      <span>
        <strong>{held.name}</strong> <code>{held.clientId}</code>
      </span>
      <code className="secret-value" ref={node}>
        {'•'.repeat(12)}
        {held.secret.hint}
      </code>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        aria-label={`Reveal the secret of ${held.name}`}
        onClick={async () => {
          const result = await call('secret:reveal', { handle: held.secret.handle });
          if (result.ok && node.current) node.current.textContent = result.value.secret;
          else if (!result.ok) setNote(errorMessage(result.error));
        }}
      >
        <Eye aria-hidden size={14} /> Reveal
      </button>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        aria-label={`Copy the secret of ${held.name}`}
        onClick={async () => {
          const result = await call('secret:copy', { handle: held.secret.handle });
          setNote(result.ok ? `Copied; the clipboard is cleared in ${result.value.clearAfterSeconds} s.` : errorMessage(result.error));
        }}
      >
        <Copy aria-hidden size={14} /> Copy
      </button>
      {note ? (
        <span role="status" className="muted">
          {note}
        </span>
      ) : null}
    </li>
  );
}
