// One tooltip for every element marked `data-tooltip`, driven by events delegated to the
// document. The table's rows use it instead of a Radix Tooltip per button: a keystroke in the
// search box re-renders every visible row, and four tooltip roots per row cost more than the
// rest of the row together. Looks and behaves like the Radix tooltips elsewhere: shows on hover
// after a short delay and at once on keyboard focus, hides on leave, blur, scroll and Escape.
// The text is visual help only: each button's accessible name (aria-label) and, when it is
// unavailable, its accessible description (aria-describedby) already say the same.
import { useEffect, useRef, useState } from 'react';

interface Shown {
  text: string;
  x: number;
  y: number;
  below: boolean;
}

const SHOW_DELAY_MS = 350;
const GRACE_MS = 300;

function tooltipTarget(node: EventTarget | null): HTMLElement | null {
  return node instanceof Element ? node.closest<HTMLElement>('[data-tooltip]') : null;
}

export function DelegatedTooltip() {
  const [shown, setShown] = useState<Shown | null>(null);
  const current = useRef<HTMLElement | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const lastHidden = useRef(0);

  useEffect(() => {
    const place = (element: HTMLElement) => {
      const text = element.getAttribute('data-tooltip');
      if (!text) return;
      const rect = element.getBoundingClientRect();
      const below = rect.top < 48;
      setShown({ text, x: rect.left + rect.width / 2, y: below ? rect.bottom + 8 : rect.top - 8, below });
    };
    const show = (element: HTMLElement, immediately: boolean) => {
      clearTimeout(timer.current);
      current.current = element;
      const recently = performance.now() - lastHidden.current < GRACE_MS;
      if (immediately || recently) place(element);
      else timer.current = setTimeout(() => current.current === element && place(element), SHOW_DELAY_MS);
    };
    const hide = () => {
      clearTimeout(timer.current);
      if (current.current) lastHidden.current = performance.now();
      current.current = null;
      setShown(null);
    };

    const onOver = (event: PointerEvent) => {
      const element = tooltipTarget(event.target);
      if (element && element !== current.current) show(element, false);
      else if (!element && current.current) hide();
    };
    const onFocusIn = (event: FocusEvent) => {
      const element = tooltipTarget(event.target);
      // Only keyboard focus shows it, as with Radix; a click's focus does not.
      if (element && element.matches(':focus-visible')) show(element, true);
      else hide();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && current.current) hide();
    };
    document.addEventListener('pointerover', onOver);
    document.addEventListener('focusin', onFocusIn);
    document.addEventListener('focusout', hide);
    document.addEventListener('pointerdown', hide, true);
    document.addEventListener('scroll', hide, true);
    document.addEventListener('keydown', onKey, true);
    return () => {
      clearTimeout(timer.current);
      document.removeEventListener('pointerover', onOver);
      document.removeEventListener('focusin', onFocusIn);
      document.removeEventListener('focusout', hide);
      document.removeEventListener('pointerdown', hide, true);
      document.removeEventListener('scroll', hide, true);
      document.removeEventListener('keydown', onKey, true);
    };
  }, []);

  if (!shown) return null;
  return (
    <div role="tooltip" className={`tooltip delegated-tooltip${shown.below ? ' is-below' : ''}`} style={{ left: shown.x, top: shown.y }}>
      {shown.text}
    </div>
  );
}
