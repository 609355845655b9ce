// Which rows of a fixed-height list are in view. Every row is ROW_HEIGHT tall, so the window is
// arithmetic on scrollTop: O(rows in view) per scroll frame and per list change, whatever the
// list's length. (A general virtualizer keeps a measurement object per row and rebuilds all of
// them when the row count or its options change: ~8 ms at 100,000 rows, half a frame.)
import { useCallback, useLayoutEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import type { RefObject } from 'react';

export interface RowWindow {
  /** First and one-past-last index to render (overscan included). */
  start: number;
  end: number;
  /** The first row at least partly below the sticky header. */
  firstVisible: number;
  /**
   * How many row elements are kept: rows are keyed by `index % pool`, so a row element stays
   * with its client while it is in view and is reused, not remounted, for the one entering.
   */
  pool: number;
  /** Scrolls the least needed to show row `index` (below the sticky header). */
  scrollToIndex: (index: number) => void;
  /** How many whole rows fit in view (for PageUp / PageDown). */
  pageRows: number;
}

export function useRowWindow(scrollRef: RefObject<HTMLElement | null>, count: number, rowHeight: number, headerHeight: number, overscan: number): RowWindow {
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);

  useLayoutEffect(() => {
    const element = scrollRef.current;
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
  }, [scrollRef]);

  const top = Math.max(0, scrollTop - headerHeight);
  const bodyHeight = Math.max(0, viewport - headerHeight);
  // Always `pool` rows (fewer only when the list is shorter): the window then holds every
  // residue of `index % pool` once, so the row leaving at one end and the row entering at the
  // other share a key, and React moves and refills that element instead of remounting one.
  const pool = Math.ceil(viewport / rowHeight) + 2 * overscan + 1;
  const start = Math.max(0, Math.min(Math.floor(top / rowHeight) - overscan, count - pool));
  const end = Math.min(count, start + pool);

  const scrollToIndex = useCallback(
    (index: number) => {
      const element = scrollRef.current;
      if (!element) return;
      const rowTop = index * rowHeight;
      const visibleTop = element.scrollTop;
      const visibleHeight = element.clientHeight - headerHeight;
      if (rowTop < visibleTop) element.scrollTop = rowTop;
      else if (rowTop + rowHeight > visibleTop + visibleHeight) element.scrollTop = rowTop + rowHeight - visibleHeight;
    },
    [scrollRef, rowHeight, headerHeight],
  );

  const firstVisible = Math.min(Math.max(0, count - 1), Math.floor(top / rowHeight));
  return { start, end, firstVisible, pool, scrollToIndex, pageRows: Math.max(1, Math.floor(bodyHeight / rowHeight) - 1) };
}
