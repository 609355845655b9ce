// In-process notice of committed client changes: the store publishes the newest changeSeq after
// each commit, the events streams (GET /api/v1/events) subscribe. Whoever learns of a commit
// publishes: today the SQLite store for its own writes; a PostgreSQL store would also publish
// what LISTEN/NOTIFY tells it about other processes' commits, and the streams stay as they are.
//
// Notices are coalesced: everything published within one turn of the event loop reaches the
// subscribers once, with the newest number. A subscriber only needs to know that the feed has
// moved on and to where (it then reads the feed), so an import of 100,000 clients, or a burst
// of writes, costs one notice per stream rather than one per change.

export type ChangeListener = (seq: number) => void;

export class ChangeEvents {
  readonly #listeners = new Set<ChangeListener>();
  #pending = 0;
  #scheduled = false;
  #lastDelivered = 0;

  /** A change with this number was committed. Delivery happens on a later turn of the event loop. */
  publish(seq: number): void {
    if (seq <= this.#pending || seq <= this.#lastDelivered) return;
    this.#pending = seq;
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#deliver());
  }

  /** Calls `listener` with the newest number after each batch of commits; returns the unsubscribe. */
  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  get subscriberCount(): number {
    return this.#listeners.size;
  }

  #deliver(): void {
    this.#scheduled = false;
    const seq = this.#pending;
    this.#pending = 0;
    if (seq <= this.#lastDelivered) return;
    this.#lastDelivered = seq;
    for (const listener of [...this.#listeners]) {
      try {
        listener(seq);
      } catch {
        // One broken stream must not keep the notice from the others; the stream's own error
        // handling ends it.
      }
    }
  }
}
