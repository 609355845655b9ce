// Where the keyboard goes when a dialog closes. Radix returns focus to a Dialog.Trigger; these
// dialogs are opened from state (a row's button, the panel, a menu), have no Trigger, and would
// leave the focus on <body>. This remembers what had the focus when the dialog first rendered
// and gives it back on close; if that element is gone (a menu item, a closed dialog's button),
// `fallback` says where to go instead.
import { useCallback, useState } from 'react';

export function useReturnFocus(fallback?: () => HTMLElement | null): (event: Event) => void {
  const [previous] = useState(() => (typeof document === 'undefined' ? null : (document.activeElement as HTMLElement | null)));
  return useCallback(
    (event: Event) => {
      const target = previous && previous.isConnected && previous !== document.body ? previous : (fallback?.() ?? null);
      if (!target) return;
      event.preventDefault();
      target.focus();
    },
    [previous, fallback],
  );
}

/** The page's own "Create Client" button, the account menu's button: fallbacks for the dialogs they open. */
export const focusCreateButton = () => document.querySelector<HTMLElement>('.page-header .btn-primary');
export const focusAccountButton = () => document.querySelector<HTMLElement>('.user-button');
/** After a new client's secret dialog: the details panel that opened on it. */
export const focusPanel = () => document.querySelector<HTMLElement>('.details-panel [aria-label="Close details"]') ?? focusCreateButton();
