// A list the user builds one entry at a time (redirect URIs, scopes): type, press Enter or
// "Add"; each entry is checked as it is entered and the reason shown if it cannot be added.
// Several at once are split (pasting "openid profile email" adds three scopes; redirect URIs one
// per line): those that pass are added, the others stay in the field with the reason.
import { CircleAlert, Plus, X } from 'lucide-react';
import { useId, useRef } from 'react';
import type { ReactNode } from 'react';
import { addEntries } from '../lib/client-form-model.ts';

export interface EntryListFieldProps {
  /** The field's name in errors (`redirectUris`, `scopes`). */
  field: string;
  label: string;
  required?: boolean;
  hint?: ReactNode;
  placeholder?: string;
  entries: readonly string[];
  draft: string;
  onDraftChange: (draft: string) => void;
  /** Returns why `entry` cannot be added to `list`, or null when it can. */
  problem: (entry: string, list: readonly string[]) => string | null;
  /** Splits a draft (typed or pasted) into entries. */
  split: (text: string) => string[];
  onEntriesChange: (entries: string[]) => void;
  /** An Add (or a paste of several): the new list, what stays in the field, and why (in one update). */
  onCommit: (commit: { entries: string[]; draft: string; draftError: string | null }) => void;
  /** Errors keyed by field path: `scopes` for the list, `scopes[2]` for one entry. */
  errors: Record<string, string>;
  draftError: string | null;
  onDraftError: (message: string | null) => void;
  suggestions?: readonly { name: string; description: string }[];
  disabled?: boolean;
  monospace?: boolean;
}

export function EntryListField(props: EntryListFieldProps) {
  const { field, label, required, hint, entries, draft, problem, errors, draftError, suggestions, disabled } = props;
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = `${id}-input`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const listError = errors[field];
  const datalistId = suggestions ? `${id}-suggestions` : undefined;

  const add = (value: string) => {
    const candidates = props.split(value);
    if (candidates.length === 0) {
      props.onCommit({ entries: [...entries], draft: value, draftError: problem('', entries) });
      inputRef.current?.focus();
      return;
    }
    const result = addEntries(entries, candidates, problem);
    props.onCommit({ entries: result.entries, draft: result.rejected.join(' '), draftError: result.reason });
    inputRef.current?.focus();
  };

  const remove = (index: number) => {
    props.onEntriesChange(entries.filter((_, i) => i !== index));
    inputRef.current?.focus();
  };

  const shownError = draftError ?? listError ?? null;
  const describedBy = [hint ? hintId : null, shownError ? errorId : null].filter(Boolean).join(' ') || undefined;
  const remaining = suggestions?.filter((s) => !entries.includes(s.name)) ?? [];

  return (
    <div className={`field${shownError ? ' has-error' : ''}`} role="group" aria-labelledby={`${id}-label`}>
      <label id={`${id}-label`} htmlFor={inputId} className="field-label">
        {label}
        {required ? <RequiredMark /> : null}
      </label>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <div className="entry-input-row">
        <input
          ref={inputRef}
          id={inputId}
          className={`input${props.monospace ? ' mono' : ''}`}
          value={draft}
          placeholder={props.placeholder}
          autoComplete="off"
          spellCheck={false}
          list={datalistId}
          disabled={disabled}
          aria-invalid={shownError ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => {
            props.onDraftChange(event.target.value);
            if (draftError) props.onDraftError(null);
          }}
          onPaste={(event) => {
            const pasted = event.clipboardData.getData('text');
            const input = event.currentTarget;
            const next = input.value.slice(0, input.selectionStart ?? input.value.length) + pasted + input.value.slice(input.selectionEnd ?? input.value.length);
            // One entry pastes as text, to be looked at before Add; several are added at once.
            if (props.split(next).length > 1) {
              event.preventDefault();
              add(next);
            }
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              // Enter adds the entry; it must not submit the whole form.
              event.preventDefault();
              add(draft);
            }
          }}
        />
        <button type="button" className="btn btn-secondary" disabled={disabled} onClick={() => add(draft)}>
          <Plus aria-hidden size={14} />
          Add
        </button>
      </div>
      {datalistId ? (
        <datalist id={datalistId}>
          {remaining.map((s) => (
            <option key={s.name} value={s.name}>
              {s.description}
            </option>
          ))}
        </datalist>
      ) : null}
      {shownError ? <FieldError id={errorId}>{shownError}</FieldError> : null}
      {entries.length > 0 ? (
        <ul className="entries" aria-label={label}>
          {entries.map((entry, index) => {
            const entryError = errors[`${field}[${index}]`];
            const entryErrorId = `${id}-entry-${index}-error`;
            return (
              <li key={`${entry}-${index}`} className={`entry${entryError ? ' has-error' : ''}`}>
                <span className={`entry-value${props.monospace ? ' mono' : ''}`} aria-describedby={entryError ? entryErrorId : undefined}>
                  {entry}
                </span>
                <button type="button" className="btn btn-ghost btn-icon btn-sm" aria-label={`Remove ${entry}`} disabled={disabled} onClick={() => remove(index)}>
                  <X aria-hidden size={14} />
                </button>
                {entryError ? (
                  <FieldError id={entryErrorId} className="entry-error">
                    {entryError}
                  </FieldError>
                ) : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {remaining.length > 0 && !disabled ? (
        <div className="suggestions">
          <span className="suggestions-label" id={`${id}-suggestions-label`}>
            Suggestions
          </span>
          {remaining.map((s) => (
            <button key={s.name} type="button" className="chip" title={s.description} aria-label={`Add scope ${s.name}`} onClick={() => add(s.name)}>
              <Plus aria-hidden size={12} />
              {s.name}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export function RequiredMark() {
  return (
    <>
      <span className="required-mark" aria-hidden>
        *
      </span>
      <span className="sr-only"> (required)</span>
    </>
  );
}

export function FieldError({ id, children, className }: { id: string; children: ReactNode; className?: string }) {
  return (
    <p id={id} className={`field-error${className ? ` ${className}` : ''}`}>
      <CircleAlert aria-hidden size={14} />
      <span>{children}</span>
    </p>
  );
}
