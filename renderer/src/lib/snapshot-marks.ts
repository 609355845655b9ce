// User Timing marks of a window load's snapshot: where the time to first rows goes, in devtools'
// Performance panel and in bench:sync.
export const SNAPSHOT_MARKS = {
  requested: 'thetasecure:snapshot-requested',
  /** The first screen (clients:head) is in the store. */
  head: 'thetasecure:head-applied',
  received: 'thetasecure:snapshot-received',
  applied: 'thetasecure:snapshot-applied',
} as const;
