// The piece lists against `includes` over the same texts, with builds, changes, frees and new
// slots in any order — the lists are rebuilt only now and then, so most searches here mix
// listed slots with stale and unlisted ones — over an alphabet with characters past U+0400 (the
// pieces that do not pack into a number).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrigramPostings } from './trigram-postings.ts';

const text = fc.array(fc.constantFrom('a', 'b', 'ab', '-', ' ', 'ж', '端', '😀'), { minLength: 0, maxLength: 12 }).map((parts) => parts.join(''));
const query = fc.array(fc.constantFrom('a', 'b', '-', ' ', 'ж', '端', '😀'), { minLength: 2, maxLength: 5 }).map((parts) => parts.join('')).filter((q) => q.length >= 3);

type Step = { set: [number, string] } | { free: number } | { build: true } | { search: string };

describe('TrigramPostings', () => {
  it('marks exactly the slots whose text contains the query, whatever was built, changed or added since', () => {
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ set: fc.tuple(fc.nat({ max: 40 }), text) }) },
      { weight: 1, arbitrary: fc.record({ free: fc.nat({ max: 40 }) }) },
      { weight: 1, arbitrary: fc.record({ build: fc.constant(true as const) }) },
      { weight: 3, arbitrary: fc.record({ search: query }) },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 120, size: 'large' }), (steps) => {
        const texts: (string | undefined)[] = [];
        const postings = new TrigramPostings((slot) => texts[slot]);
        for (const s of steps) {
          if ('set' in s) {
            const [slot, value] = s.set;
            while (texts.length <= slot) texts.push(undefined);
            texts[slot] = value;
            postings.invalidate(slot);
          } else if ('free' in s) {
            if (s.free < texts.length) {
              texts[s.free] = undefined;
              postings.invalidate(s.free);
            }
          } else if ('build' in s) {
            postings.build(texts.length);
          } else {
            const { marks, generation } = postings.mark(s.search, texts.length);
            const marked = texts.map((_, slot) => marks[slot] === generation);
            expect(marked).toEqual(texts.map((value) => value !== undefined && value.includes(s.search)));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('builds again once more than 2 % of the slots changed, and answers the same', () => {
    const texts = Array.from({ length: 20_000 }, (_, slot) => `client ${slot} ${slot % 7 === 0 ? 'billing' : 'reports'}`);
    const postings = new TrigramPostings((slot) => texts[slot]);
    postings.build(texts.length);
    const count = (q: string) => {
      const { marks, generation } = postings.mark(q, texts.length);
      return texts.filter((_, slot) => marks[slot] === generation).length;
    };
    expect(count('billing')).toBe(Math.ceil(20_000 / 7));
    for (let slot = 0; slot < 1_000; slot++) {
      texts[slot] = `renamed ${slot}`;
      postings.invalidate(slot);
    }
    expect(count('billing')).toBe(texts.filter((t) => t.includes('billing')).length);
    expect(count('renamed')).toBe(1_000);
    expect(count('ent 19998 rep')).toBe(1);
  });
});
