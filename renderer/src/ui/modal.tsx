// Dialogs: Radix handles focus trapping, Escape, returning focus and aria wiring.
import { Dialog } from 'radix-ui';
import { X } from 'lucide-react';
import type { ReactNode } from 'react';

export interface ModalProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  /** Called instead of closing on Escape / outside click / the close button, when the dialog wants to ask first. */
  onRequestClose?: () => void;
  footer?: ReactNode;
}

export function Modal({ open, onOpenChange, title, description, children, size = 'md', onRequestClose, footer }: ModalProps) {
  const guard = (event: Event) => {
    if (onRequestClose) {
      event.preventDefault();
      onRequestClose();
    }
  };
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="overlay" />
        <Dialog.Content
          className={`modal modal-${size}`}
          onEscapeKeyDown={guard}
          onPointerDownOutside={(event) => {
            // A click beside a form should not throw away what was typed.
            event.preventDefault();
          }}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <header className="modal-header">
            <Dialog.Title className="modal-title">{title}</Dialog.Title>
            {onRequestClose ? (
              <button type="button" className="btn btn-ghost btn-icon" aria-label="Close" onClick={onRequestClose}>
                <X aria-hidden size={16} />
              </button>
            ) : (
              <Dialog.Close className="btn btn-ghost btn-icon" aria-label="Close">
                <X aria-hidden size={16} />
              </Dialog.Close>
            )}
          </header>
          {description ? <Dialog.Description className="modal-description">{description}</Dialog.Description> : null}
          <div className="modal-body">{children}</div>
          {footer ? <footer className="modal-footer">{footer}</footer> : null}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
