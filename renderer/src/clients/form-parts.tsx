// Small pieces the create, edit and settings forms share.
import { CircleAlert } from 'lucide-react';
import type { ReactNode } from 'react';

/** After a failed submit, put the keyboard where the first problem is. */
export function focusFirstError(form: HTMLElement | null): void {
  requestAnimationFrame(() => {
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"], .has-error input:not([disabled]), .form-problem');
    if (!target) return;
    if (target.classList.contains('form-problem')) target.setAttribute('tabindex', '-1');
    target.focus();
  });
}

export function FormProblem({ children }: { children: ReactNode }) {
  return (
    <div className="callout callout-danger form-problem" role="alert">
      <CircleAlert aria-hidden size={16} />
      <div>{children}</div>
    </div>
  );
}

export function DiscardBar({ message, onKeep, onDiscard }: { message: string; onKeep: () => void; onDiscard: () => void }) {
  return (
    <div className="discard-bar" role="alert">
      <span>{message}</span>
      <span className="spacer" />
      <button type="button" className="btn btn-secondary" onClick={onKeep} autoFocus>
        Keep editing
      </button>
      <button type="button" className="btn btn-danger" onClick={onDiscard}>
        Discard
      </button>
    </div>
  );
}
