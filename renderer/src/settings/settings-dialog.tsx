// Settings: where the server is, how long a copied secret stays on the clipboard, how long the
// offline copy of the list is kept; and signing out, optionally removing the offline copy.
import { Dialog } from 'radix-ui';
import { LogOut, X } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { Session, Settings } from '../../../shared/contract.ts';
import { call } from '../lib/bridge.ts';
import { errorMessage } from '../lib/format.ts';
import { FieldError } from '../clients/entry-list-field.tsx';
import { FormProblem } from '../clients/form-parts.tsx';
import { focusAccountButton, useReturnFocus } from '../ui/return-focus.ts';

type SettingsField = 'issuerUrl' | 'clipboardClearSeconds' | 'cacheTtlDays';
type Draft = Record<SettingsField, string>;

function draftFrom(settings: Settings): Draft {
  return { issuerUrl: settings.issuerUrl, clipboardClearSeconds: String(settings.clipboardClearSeconds), cacheTtlDays: String(settings.cacheTtlDays) };
}

/** Whole numbers go to the host as numbers; anything else as typed, so the host's message names the field. */
function asNumber(text: string): number | string {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export interface SettingsDialogProps {
  open: boolean;
  onClose: () => void;
  session: Session;
}

export function SettingsDialog({ open, onClose, session }: SettingsDialogProps) {
  return (
    <Dialog.Root open={open} onOpenChange={(next) => (next ? undefined : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        {open ? <SettingsContent onClose={onClose} session={session} /> : null}
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function SettingsContent({ onClose, session }: { onClose: () => void; session: Session }) {
  const id = useId();
  const returnFocus = useReturnFocus(focusAccountButton);
  const [saved, setSaved] = useState<Settings | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Partial<Record<SettingsField | 'form', string>>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState<'save' | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    let live = true;
    void call('settings:get', {}).then((result) => {
      if (!live) return;
      if (result.ok) {
        setSaved(result.value);
        setDraft(draftFrom(result.value));
      } else setErrors({ form: errorMessage(result.error) });
    });
    return () => {
      live = false;
    };
  }, []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!draft || !saved || busy) return;
    const patch: Record<string, unknown> = {};
    if (draft.issuerUrl.trim() !== saved.issuerUrl) patch.issuerUrl = draft.issuerUrl.trim();
    if (draft.clipboardClearSeconds.trim() !== String(saved.clipboardClearSeconds)) patch.clipboardClearSeconds = asNumber(draft.clipboardClearSeconds);
    if (draft.cacheTtlDays.trim() !== String(saved.cacheTtlDays)) patch.cacheTtlDays = asNumber(draft.cacheTtlDays);
    if (Object.keys(patch).length === 0) {
      setStatus('No changes to save.');
      return;
    }
    setBusy('save');
    // The patch may hold text where a number belongs: the host validates and names the field.
    const result = await call('settings:set', patch as never);
    setBusy(null);
    if (result.ok) {
      setSaved(result.value);
      setDraft(draftFrom(result.value));
      setErrors({});
      setStatus('Settings saved.');
      return;
    }
    setStatus(null);
    const next: typeof errors = {};
    for (const item of result.error.fields ?? []) {
      const field = item.field as SettingsField;
      if (field === 'issuerUrl' || field === 'clipboardClearSeconds' || field === 'cacheTtlDays') next[field] ??= item.message;
    }
    if (Object.keys(next).length === 0) next.form = errorMessage(result.error);
    setErrors(next);
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  };

  const edit = (field: SettingsField, value: string) => {
    if (!draft) return;
    setDraft({ ...draft, [field]: value });
    setStatus(null);
    if (errors[field]) setErrors({ ...errors, [field]: undefined });
  };

  return (
    <Dialog.Content className="modal modal-md" aria-describedby={undefined} onPointerDownOutside={(event) => event.preventDefault()} onCloseAutoFocus={returnFocus}>
      <header className="modal-header">
        <Dialog.Title className="modal-title">Settings</Dialog.Title>
        <Dialog.Close className="btn btn-ghost btn-icon" aria-label="Close">
          <X aria-hidden size={16} />
        </Dialog.Close>
      </header>
      {/* One scrolling body: the settings, then Account; the Close / Save bar last, at the
          bottom of the dialog, so the order on screen and the Tab order are the same. */}
      <div className="modal-body">
        <form ref={formRef} id={`${id}-form`} className="settings-form" onSubmit={save} noValidate>
          {errors.form ? <FormProblem>{errors.form}</FormProblem> : null}
          {draft ? (
            <div className="form-fields">
              <SettingField id={`${id}-issuer`} label="Issuer URL" hint="The ThetaSecure server this app signs in to. A change applies at the next sign-in." error={errors.issuerUrl}>
                {(props) => <input {...props} className="input mono" value={draft.issuerUrl} inputMode="url" autoComplete="off" spellCheck={false} onChange={(event) => edit('issuerUrl', event.target.value)} />}
              </SettingField>
              <SettingField id={`${id}-clipboard`} label="Clear clipboard after" unit="seconds" hint="A copied Client Secret is removed from the clipboard after this long (5–600)." error={errors.clipboardClearSeconds}>
                {(props) => <input {...props} className="input input-number" value={draft.clipboardClearSeconds} inputMode="numeric" onChange={(event) => edit('clipboardClearSeconds', event.target.value)} />}
              </SettingField>
              <SettingField id={`${id}-cache`} label="Offline cache lifetime" unit="days" hint="How long the client list is kept for viewing while the server cannot be reached (1–90)." error={errors.cacheTtlDays}>
                {(props) => <input {...props} className="input input-number" value={draft.cacheTtlDays} inputMode="numeric" onChange={(event) => edit('cacheTtlDays', event.target.value)} />}
              </SettingField>
            </div>
          ) : !errors.form ? (
            <p className="muted">Loading settings…</p>
          ) : null}
          <p className="form-status" role="status">
            {status}
          </p>
        </form>

        <section className="settings-account" aria-labelledby={`${id}-account`}>
          <h3 id={`${id}-account`} className="section-title">
            Account
          </h3>
          <SignOutControls session={session} onSignedOut={onClose} />
        </section>
      </div>
      <footer className="modal-footer">
        <span className="spacer" />
        <Dialog.Close className="btn btn-secondary">Close</Dialog.Close>
        <button type="submit" form={`${id}-form`} className="btn btn-primary" disabled={!draft} aria-busy={busy === 'save' || undefined}>
          Save Settings
        </button>
      </footer>
    </Dialog.Content>
  );
}

function SettingField({ id, label, hint, unit, error, children }: { id: string; label: string; hint: string; unit?: string; error?: string; children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby': string }) => ReactNode }) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
        {unit ? <span className="field-unit"> ({unit})</span> : null}
      </label>
      <p id={`${id}-hint`} className="field-hint">
        {hint}
      </p>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-hint ${id}-error` : `${id}-hint` })}
      {error ? <FieldError id={`${id}-error`}>{error}</FieldError> : null}
    </div>
  );
}

/** "Sign out", with the option to remove the offline copy of the list from this computer. */
function SignOutControls({ session, onSignedOut }: { session: Session | null; onSignedOut: () => void }) {
  const id = useId();
  const [removeOfflineData, setRemoveOfflineData] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const signOut = async () => {
    setBusy(true);
    const result = await call('session:sign-out', { removeOfflineData });
    setBusy(false);
    if (!result.ok) {
      setProblem(errorMessage(result.error));
      return;
    }
    onSignedOut();
  };

  return (
    <div className="sign-out">
      {session ? (
        <p className="muted">
          Signed in as <strong>{session.user?.name ?? 'unknown user'}</strong> to <span className="mono">{session.issuer}</span>
          {session.remembered ? ' — remembered on this computer.' : '.'}
        </p>
      ) : null}
      <div className="choice">
        <input id={`${id}-remove`} type="checkbox" className="checkbox" checked={removeOfflineData} onChange={(event) => setRemoveOfflineData(event.target.checked)} />
        <div className="choice-text">
          <label htmlFor={`${id}-remove`} className="choice-label">
            Also remove offline data from this computer
          </label>
          <p className="choice-description">Deletes the cached client list kept for viewing while offline.</p>
        </div>
      </div>
      {problem ? <FormProblem>{problem}</FormProblem> : null}
      <button type="button" className="btn btn-danger" onClick={signOut} aria-busy={busy || undefined} disabled={busy}>
        <LogOut aria-hidden size={14} />
        Sign out
      </button>
    </div>
  );
}

export function SignOutDialog({ open, onClose, session }: { open: boolean; onClose: () => void; session: Session }) {
  return (
    <Dialog.Root open={open} onOpenChange={(next) => (next ? undefined : onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        {open ? <SignOutContent onClose={onClose} session={session} /> : null}
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function SignOutContent({ onClose, session }: { onClose: () => void; session: Session }) {
  const returnFocus = useReturnFocus(focusAccountButton);
  return (
        <Dialog.Content className="modal modal-sm" aria-describedby={undefined} onCloseAutoFocus={returnFocus}>
          <header className="modal-header">
            <Dialog.Title className="modal-title">Sign out</Dialog.Title>
            <Dialog.Close className="btn btn-ghost btn-icon" aria-label="Close">
              <X aria-hidden size={16} />
            </Dialog.Close>
          </header>
          <div className="modal-body">
            <SignOutControls session={session} onSignedOut={onClose} />
          </div>
        </Dialog.Content>
  );
}
