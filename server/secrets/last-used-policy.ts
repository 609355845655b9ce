// How often last use is written and published (decisions in server/README.md, "Last used").

/** A client's last use is written at most once per this many milliseconds (of the server's clock). */
export const LAST_USED_WRITE_INTERVAL_MS = 60_000;
/** How often pending last uses are looked at and the due ones written, in one transaction. */
export const LAST_USED_FLUSH_MS = 10_000;
/** A client re-enters the change feed for its last use at most this often (first use: at once). */
export const LAST_USED_PUBLISH_MS = 60 * 60_000;
