// Buttons. A button that cannot be used right now stays focusable (aria-disabled rather than
// disabled) so its tooltip can say why, and keyboard users hear the reason too.
import { forwardRef } from 'react';
import type { ButtonHTMLAttributes, MouseEvent, ReactNode } from 'react';
import { Tip } from './tooltip.tsx';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger' | 'danger-ghost';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'disabled'> {
  variant?: ButtonVariant;
  icon?: ReactNode;
  /** When set, the button is unavailable and this says why (tooltip + accessible description). */
  disabledReason?: string | null;
  /** The id of an element that already holds `disabledReason` (shared by many buttons). */
  disabledReasonId?: string;
  disabled?: boolean;
  busy?: boolean;
  /** Use the shared delegated tooltip (`data-tooltip`) instead of a Radix one: for buttons repeated in every table row. */
  lightweight?: boolean;
}

export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = 'secondary', icon, disabledReason, disabledReasonId, disabled, busy, lightweight, className, children, onClick, type = 'button', 'aria-describedby': describedBy, ...rest },
  ref,
) {
  const unavailable = Boolean(disabledReason);
  const button = (
    <button
      ref={ref}
      type={type}
      className={`btn btn-${variant}${children ? '' : ' btn-icon'}${className ? ` ${className}` : ''}`}
      disabled={disabled}
      aria-disabled={unavailable || busy || undefined}
      {...describedByProp(unavailable && disabledReasonId ? disabledReasonId : describedBy)}
      aria-busy={busy || undefined}
      onClick={(event: MouseEvent<HTMLButtonElement>) => {
        if (unavailable || busy) {
          event.preventDefault();
          return;
        }
        onClick?.(event);
      }}
      {...rest}
    >
      {icon}
      {children}
    </button>
  );
  if (unavailable && !lightweight) return <Tip content={disabledReason}>{button}</Tip>;
  return button;
});

// Only present when set: an explicit undefined would hide the id Radix's tooltip sets while open.
function describedByProp(id: string | undefined): { 'aria-describedby'?: string } {
  return id ? { 'aria-describedby': id } : {};
}

/** An icon-only button: the label is its accessible name and its tooltip. */
export function IconButton({ label, icon, disabledReason, tooltip, lightweight, ...rest }: Omit<ButtonProps, 'children' | 'aria-label'> & { label: string; icon: ReactNode; tooltip?: string }) {
  if (lightweight) {
    return <Button aria-label={label} icon={icon} disabledReason={disabledReason} lightweight data-tooltip={disabledReason ?? tooltip ?? label} {...rest} variant={rest.variant ?? 'ghost'} />;
  }
  const button = <Button aria-label={label} icon={icon} disabledReason={disabledReason} {...rest} variant={rest.variant ?? 'ghost'} />;
  if (disabledReason) return button;
  return <Tip content={tooltip ?? label}>{button}</Tip>;
}
