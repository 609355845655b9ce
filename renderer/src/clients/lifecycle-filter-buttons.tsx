// The toolbar's two lifecycle filters, "Secret expires within 14 days" and "Unused for 90 days",
// each a toggle with its count. The counts come from ClientIndex.lifecycleCounts (one pass,
// kept until the list changes or the minute turns); the thresholds are taken from a clock that
// ticks once a minute, so the rows shown and the count agree.
import { useEffect, useMemo, useState } from 'react';
import type { ClientIndex } from '../lib/client-index.ts';
import { EXPIRING_WITHIN_DAYS, lifecycleThresholds, UNUSED_FOR_DAYS } from '../lib/client-filters.ts';
import type { LifecycleFilters } from '../lib/client-filters.ts';
import { formatCount } from '../lib/format.ts';

export interface LifecycleToggles {
  expiring: boolean;
  unused: boolean;
}

export const NO_LIFECYCLE_TOGGLES: LifecycleToggles = { expiring: false, unused: false };

function minuteNow(): number {
  return Math.floor(Date.now() / 60_000) * 60_000;
}

/** The toggles, the thresholds they mean now, and the counts; `version` is the index's. */
export function useLifecycleFilters(index: ClientIndex, version: number) {
  const [toggles, setToggles] = useState<LifecycleToggles>(NO_LIFECYCLE_TOGGLES);
  const [now, setNow] = useState(minuteNow);
  useEffect(() => {
    const timer = setInterval(() => setNow(minuteNow()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const thresholds = useMemo<LifecycleFilters>(() => lifecycleThresholds(now, toggles), [now, toggles]);
  // `version` changes whenever the index does; the index is the same object throughout.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const counts = useMemo(() => index.lifecycleCounts(now), [index, version, now]);
  return { toggles, setToggles, thresholds, counts };
}

export function LifecycleFilterButtons({ toggles, counts, onChange }: { toggles: LifecycleToggles; counts: { expiring: number; unused: number }; onChange: (toggles: LifecycleToggles) => void }) {
  return (
    // Their own row under the search and filters: the toolbar has no room for them at 1280 px.
    <div className="lifecycle-filters" role="group" aria-label="Secret lifecycle">
      <span className="lifecycle-label" aria-hidden>
        Needs attention
      </span>
      <Toggle label={`Secret expires within ${EXPIRING_WITHIN_DAYS} days`} count={counts.expiring} pressed={toggles.expiring} onClick={() => onChange({ ...toggles, expiring: !toggles.expiring })} />
      <Toggle label={`Unused for ${UNUSED_FOR_DAYS} days`} count={counts.unused} pressed={toggles.unused} onClick={() => onChange({ ...toggles, unused: !toggles.unused })} />
    </div>
  );
}

function Toggle({ label, count, pressed, onClick }: { label: string; count: number; pressed: boolean; onClick: () => void }) {
  return (
    <button type="button" className="btn btn-secondary btn-sm lifecycle-filter" aria-pressed={pressed} onClick={onClick}>
      {label}
      <span className="lifecycle-count">{formatCount(count)}</span>
    </button>
  );
}
