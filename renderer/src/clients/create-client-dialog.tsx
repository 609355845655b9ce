// "+ Create Client": the page's two client types, then the form for the chosen one.
import { Dialog } from 'radix-ui';
import { ArrowLeft, ChevronRight, FolderSync, SlidersHorizontal, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ScopeEntry } from '../../../shared/catalogs.ts';

import type { MethodOutput } from '../../../shared/contract.ts';
import { call } from '../lib/bridge.ts';
import { commitDrafts, createInput, emptyForm, fieldErrorsFrom, hasErrors, validateForm } from '../lib/client-form-model.ts';
import type { ClientFormValues, FieldErrors } from '../lib/client-form-model.ts';
import { errorMessage } from '../lib/format.ts';
import { Button } from '../ui/button.tsx';
import { ClientForm, EMPTY_DRAFTS } from './client-form.tsx';
import type { FormDrafts } from './client-form.tsx';
import { DiscardBar, focusFirstError, FormProblem } from './form-parts.tsx';
import { focusCreateButton, useReturnFocus } from '../ui/return-focus.ts';

export const CLIENT_TYPES = {
  sync_connector: {
    title: 'Sync Connector Client',
    description: 'Automatically configured with the correct grant types and scopes for LDAP/AD directory synchronization. Choose this when setting up a new directory sync profile.',
  },
  custom: {
    title: 'Custom Client',
    description: 'Gives you full control over grant types, scopes, and redirect URIs. Use this for custom integrations, third party applications, or any service that needs API access beyond directory sync.',
  },
} as const;

type Step = 'choose' | 'custom' | 'sync_connector';

export interface CreateClientDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated: (created: MethodOutput<'clients:create'>) => void;
  scopeCatalog: readonly ScopeEntry[] | null;
  /** Set when creating became impossible while the dialog was open (the server went away). */
  unavailableReason: string | null;
}

export function CreateClientDialog(props: CreateClientDialogProps) {
  return (
    <Dialog.Root open={props.open} onOpenChange={(open) => (open ? undefined : props.onClose())}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        {props.open ? <CreateClientContent {...props} /> : null}
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function CreateClientContent({ onClose, onCreated, scopeCatalog, unavailableReason }: CreateClientDialogProps) {
  const returnFocus = useReturnFocus(focusCreateButton);
  const [step, setStep] = useState<Step>('choose');
  const [values, setValues] = useState<ClientFormValues>(emptyForm);
  const [drafts, setDrafts] = useState<FormDrafts>(EMPTY_DRAFTS);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const chooseRef = useRef<HTMLDivElement>(null);
  const lastChosen = useRef<Step>('choose');

  // The keyboard goes where the work is: Client Name when a form appears, and back on the
  // type that was chosen when the user goes Back.
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      if (step === 'choose') {
        if (lastChosen.current !== 'choose') chooseRef.current?.querySelector<HTMLElement>(`[data-kind="${lastChosen.current}"]`)?.focus();
      } else {
        lastChosen.current = step;
        formRef.current?.querySelector<HTMLElement>('input')?.focus();
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [step]);

  const dirty = step !== 'choose' && (values.name !== '' || values.description !== '' || values.redirectUris.length > 0 || values.scopes.length > 0 || values.grantTypes.length > 0 || drafts.redirectUris !== '' || drafts.scopes !== '');
  const requestClose = () => {
    if (busy) return;
    if (dirty) setConfirmDiscard(true);
    else onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || step === 'choose') return;
    if (unavailableReason) {
      setErrors({ form: unavailableReason });
      return;
    }
    const kind = step;
    const catalogNames = scopeCatalog?.map((s) => s.name) ?? null;
    const committed = kind === 'custom' ? commitDrafts(values, drafts, catalogNames) : { values, drafts, errors: {} };
    const toSend = committed.values;
    const found = { ...validateForm(toSend, kind, catalogNames), ...committed.errors };
    if (toSend !== values) {
      setValues(toSend);
      setDrafts(committed.drafts);
    }
    if (hasErrors(found)) {
      setErrors(found);
      focusFirstError(formRef.current);
      return;
    }
    setErrors({});
    setBusy(true);
    const result = await call('clients:create', createInput(toSend, kind));
    setBusy(false);
    if (result.ok) {
      onCreated(result.value);
      return;
    }
    if (result.error.code === 'validation') {
      setErrors(fieldErrorsFrom(result.error));
    } else {
      setErrors({ form: errorMessage(result.error) });
    }
    focusFirstError(formRef.current);
  };

  const title = step === 'choose' ? 'Create OAuth Client' : `Create ${CLIENT_TYPES[step].title}`;

  return (
    <Dialog.Content
      onCloseAutoFocus={returnFocus}
      className={`modal ${step === 'custom' ? 'modal-lg' : 'modal-md'}`}
      aria-describedby={undefined}
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

      {step === 'choose' ? (
        <div className="modal-body">
          <p className="modal-description">ThetaSecure presents two client type options. Choose the one that fits the application you are registering.</p>
          <div className="type-choices" ref={chooseRef}>
            {(['sync_connector', 'custom'] as const).map((kind) => (
              <button key={kind} type="button" className="type-choice" data-kind={kind} onClick={() => setStep(kind)} aria-describedby={`type-${kind}-description`}>
                <span className="type-choice-icon" aria-hidden>
                  {kind === 'sync_connector' ? <FolderSync size={20} /> : <SlidersHorizontal size={20} />}
                </span>
                <span className="type-choice-text">
                  <span className="type-choice-title">{CLIENT_TYPES[kind].title}</span>
                  <span className="type-choice-description" id={`type-${kind}-description`}>
                    {CLIENT_TYPES[kind].description}
                  </span>
                </span>
                <ChevronRight aria-hidden size={18} className="type-choice-chevron" />
              </button>
            ))}
          </div>
        </div>
      ) : (
        <form ref={formRef} className="modal-form" onSubmit={submit} noValidate>
          <div className="modal-body">
            <p className="form-note">
              Fields marked <span aria-hidden>*</span>
              <span className="sr-only">as required</span> are required.
            </p>
            {errors.form ? <FormProblem>{errors.form}</FormProblem> : null}
            <ClientForm
              variant={step}
              mode="create"
              values={values}
              onChange={setValues}
              errors={errors}
              onErrorsChange={setErrors}
              drafts={drafts}
              onDraftsChange={setDrafts}
              scopeCatalog={scopeCatalog}
              disabled={busy}
            />
          </div>
          <footer className="modal-footer">
            {confirmDiscard ? (
              <DiscardBar message="Discard this client? Nothing has been created yet." onKeep={() => setConfirmDiscard(false)} onDiscard={onClose} />
            ) : (
              <>
                <Button variant="ghost" icon={<ArrowLeft aria-hidden size={14} />} onClick={() => setStep('choose')} disabled={busy}>
                  Back
                </Button>
                <span className="spacer" />
                <Button variant="secondary" onClick={requestClose} disabled={busy}>
                  Cancel
                </Button>
                <Button type="submit" variant="primary" busy={busy} disabledReason={unavailableReason}>
                  {busy ? 'Creating…' : 'Create Client'}
                </Button>
              </>
            )}
          </footer>
        </form>
      )}
    </Dialog.Content>
  );
}

