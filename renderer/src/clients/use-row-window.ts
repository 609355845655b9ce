// Which rows of a fixed-height list are in view. Every row is ROW_HEIGHT tall, so the window is
// arithmetic on scrollTop: O(rows in view) per scroll frame and per list change, whatever the
// list's length. (A general virtualizer keeps a measurement object per row and rebuilds all of
// them when the row count or its options change: ~8 ms at 100,000 rows, half a frame.)
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';

export interface RowWindow {
  /** First and one-past-last index to render (the rows ahead included). */
  start: number;
  end: number;
  /** The first row at least partly below the sticky header. */
  firstVisible: number;
  /**
   * How many row elements are kept: rows are keyed by `keyOf(index)`, a residue modulo `pool`,
   * so a row element stays with its client while it is in view and is reused, not remounted,
   * for the one entering.
   */
  pool: number;
  /** The React key of row `index` (see `pool`). */
  keyOf: (index: number) => number;
  /** Scrolls the least needed to show row `index` (below the sticky header). */
  scrollToIndex: (index: number) => void;
  /** How many whole rows fit in view (for PageUp / PageDown). */
  pageRows: number;
}

/** `element` is the scroll container (state, not a ref: a child's effect runs before its parent's ref is set). */
export function useRowWindow(element: HTMLElement | null, count: number, rowHeight: number, headerHeight: number, ahead: number): RowWindow {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);

  useLayoutEffect(() => {
    if (!element) return;
    // Rendered inside the scroll event, before this frame is painted: without flushSync React
    // would render in a later task and a fast scroll would show a blank band for a frame.
    const onScroll = () => flushSync(() => setScrollTop(element.scrollTop));
    const resize = new ResizeObserver(() => setViewport(element.clientHeight));
    setViewport(element.clientHeight);
    setScrollTop(element.scrollTop);
    element.addEventListener('scroll', onScroll, { passive: true });
    resize.observe(element);
    return () => {
      element.removeEventListener('scroll', onScroll);
      resize.disconnect();
    };
  }, [element]);

  const top = Math.max(0, scrollTop - headerHeight);
  const bodyHeight = Math.max(0, viewport - headerHeight);
  // Always `pool` rows (fewer only when the list is shorter): the window then holds every
  // residue of `index % pool` once, so the row leaving at one end and the row entering at the
  // other share a key, and React moves and refills that element instead of remounting one.
  //
  // Extra rows only ahead, in the direction of the last scroll: they cover what the compositor
  // may scroll into view before this render lands; rows behind would never be seen. In a fling
  // every row is new each frame, so each extra row is layout and render work per frame (an
  // overscan of 3 each side made 25 rows, and 6% of fling frames missed at 100,000 clients).
  //
  // A jump further than the window (scrollbar drag, End, a fling) replaces every row. Keyed by
  // plain `index % pool`, the keys would come in rotated order and React would move most row
  // elements in the DOM, restyling and relaying them out (a 33 ms frame at 100,000 rows).
  // Shifting the residues by the jump keeps each element at its place, refilled in place. Within
  // the window the shift stays, so a row keeps its element while it is in view.
  //
  // Both follow from the previous render (direction and shift), kept in a ref written in render:
  // a second render of the same scroll position finds the same values, so it stays idempotent.
  const previous = useRef({ top, direction: 1 as 1 | -1, start: 0, shift: 0, pool: 0 });
  const last = previous.current;
  const direction = top === last.top ? last.direction : top > last.top ? 1 : -1;
  const pool = Math.ceil(viewport / rowHeight) + ahead + 1;
  const first = Math.floor(top / rowHeight) - (direction === -1 ? ahead : 0);
  const start = Math.max(0, Math.min(first, count - pool));
  const end = Math.min(count, start + pool);
  const shift = pool !== last.pool ? 0 : Math.abs(start - last.start) >= pool ? last.shift + start - last.start : last.shift;
  previous.current = { top, direction, start, shift, pool };
  const keyOf = (index: number) => (((index - shift) % pool) + pool) % pool;

  const scrollToIndex = useCallback(
    (index: number) => {
      if (!element) return;
      const rowTop = index * rowHeight;
      const visibleTop = element.scrollTop;
      const visibleHeight = element.clientHeight - headerHeight;
      if (rowTop < visibleTop) element.scrollTop = rowTop;
      else if (rowTop + rowHeight > visibleTop + visibleHeight) element.scrollTop = rowTop + rowHeight - visibleHeight;
    },
    [element, rowHeight, headerHeight],
  );

  const firstVisible = Math.min(Math.max(0, count - 1), Math.floor(top / rowHeight));
  return { start, end, firstVisible, pool, keyOf, scrollToIndex, pageRows: Math.max(1, Math.floor(bodyHeight / rowHeight) - 1) };
}
