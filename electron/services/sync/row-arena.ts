// Where the replica keeps its rows' JSON bytes: in slabs of its own, one row after another.
//
// A Buffer made with Buffer.from(string) under 4 KB is a slice of Node's shared 8 KB pool, and
// the pool is shared with everything short-lived the host allocates (the file's sealed rows,
// HTTP chunks): one live row keeps its whole slab, garbage and all. At 100,000 clients that
// held ~100 MB for ~60 MB of rows. Here a slab holds rows only, so it is dense; a row that is
// replaced or deleted leaves a hole, and when the holes pass half of what the slabs hold, the
// live rows are copied into fresh slabs (`compact`, ~60 MB of memcpy at 100,000 clients).
const SLAB_BYTES = 1 << 20;

export interface RowArena {
  /** The UTF-8 bytes of `text`, in the arena. */
  fromText(text: string): Buffer;
  /** A copy of `bytes` in the arena. */
  copy(bytes: Uint8Array): Buffer;
  /** A row's bytes are no longer used (replaced or deleted). */
  release(bytes: Uint8Array): void;
  /** Whether the holes are worth a compaction. */
  wasteful(): boolean;
  stats(): { liveBytes: number; slabBytes: number };
}

export function createRowArena(slabBytes = SLAB_BYTES): RowArena {
  let slab: Buffer | null = null;
  let used = 0;
  let liveBytes = 0;
  let slabTotal = 0;

  function room(length: number): Buffer {
    if (length > slabBytes / 4) {
      // A very large client gets a buffer of its own rather than most of a slab.
      slabTotal += length;
      return Buffer.allocUnsafeSlow(length);
    }
    if (!slab || used + length > slab.length) {
      slab = Buffer.allocUnsafeSlow(slabBytes);
      slabTotal += slabBytes;
      used = 0;
    }
    return slab;
  }

  function place(length: number, write: (target: Buffer, at: number) => void): Buffer {
    liveBytes += length;
    const target = room(length);
    if (target !== slab) {
      write(target, 0);
      return target;
    }
    write(target, used);
    const view = target.subarray(used, used + length);
    used += length;
    return view;
  }

  return {
    fromText(text) {
      const length = Buffer.byteLength(text, 'utf8');
      return place(length, (target, at) => target.write(text, at, length, 'utf8'));
    },
    copy(bytes) {
      return place(bytes.length, (target, at) => target.set(bytes, at));
    },
    release(bytes) {
      liveBytes -= bytes.length;
    },
    wasteful() {
      return slabTotal > 4 * slabBytes && slabTotal > 2 * liveBytes;
    },
    stats: () => ({ liveBytes, slabBytes: slabTotal }),
  };
}
