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
  totalHeight: number;
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
  const start = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((top + viewport) / rowHeight) + overscan);
  const bodyHeight = Math.max(0, viewport - headerHeight);

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
  return { start, end: Math.max(start, end), firstVisible, totalHeight: count * rowHeight, scrollToIndex, pageRows: Math.max(1, Math.floor(bodyHeight / rowHeight) - 1) };
}
