// The list part of `npm run bench:server`: 50-item pages of GET /api/v1/clients over HTTP against
// one running server — no filter, a `q` substring, a grant-type filter, deeper cursor pages — and
// their report rows. Run once per back end (SQLite, and PostgreSQL with --db postgres).
import type { ClientPage } from '../shared/client.ts';
import { seededRandom } from './server-seed.ts';
import { ms, summarize, timedJson } from './server-load.ts';
import type { Summary } from './server-load.ts';

export const LIST_P95_TARGET_MS = 20;
export const PAGE = 50;

interface ListScenario {
  label: string;
  samples: number[];
  totals: number[];
}

function scenario(label: string): ListScenario {
  return { label, samples: [], totals: [] };
}

/** A 3–4 character piece of a seeded name, without spaces at its ends, half of the time lower-cased (search ignores case). */
function fragment(random: () => number, names: readonly string[], length: number): string {
  for (;;) {
    const name = names[Math.floor(random() * names.length)]!;
    if (name.length < length) continue;
    const start = Math.floor(random() * (name.length - length + 1));
    const piece = name.slice(start, start + length);
    if (piece.trim() !== piece) continue;
    return random() < 0.5 ? piece.toLowerCase() : piece;
  }
}

export interface ListRun {
  /** Report rows: scenario, n, matches, mean, p50, p95, max, target, result. */
  rows: string[][];
  expectedTotal: number;
  allTargetsMet: boolean;
}

export async function runListScenarios(url: string, adminToken: string, names: readonly string[], requests: number, progress: (text: string) => void): Promise<ListRun> {
  const auth = { authorization: `Bearer ${adminToken}` };
  const list = async (query: Record<string, string>, into?: ListScenario): Promise<ClientPage> => {
    const response = await timedJson<ClientPage>(`${url}/api/v1/clients?${new URLSearchParams({ limit: String(PAGE), ...query })}`, { headers: auth });
    if (response.status !== 200) throw new Error(`GET /api/v1/clients?${new URLSearchParams(query)} answered ${response.status}`);
    if (into) {
      into.samples.push(response.ms);
      into.totals.push(response.body.total);
    }
    return response.body;
  };

  const random = seededRandom(7);
  const grantTypes = ['client_credentials', 'authorization_code'];
  const noFilter = scenario('(a) no filter');
  const search = scenario('(b) q = 3-4 character fragment of a name');
  const byGrant = scenario('(c) grantType (client_credentials | authorization_code)');
  const shortSearch = scenario('(b2) q = 1-2 characters (below trigram size)');
  const combined = scenario('(d) q = 3 chars + grantType');
  const rareGrant = scenario('(c2) grantType few hold (refresh_token)');
  const deepNoFilter = scenario('(a) pages 2-101 by cursor, no filter');
  const deepByGrant = scenario('(c) pages 2-51 by cursor, grantType');
  const deepSearch = scenario('(b) pages 2-5 by cursor, q = 3 chars');

  progress('warming up the list endpoint');
  for (let i = 0; i < 20; i += 1) {
    await list({});
    await list({ q: fragment(random, names, 3 + (i % 2)) });
    await list({ grantType: grantTypes[i % 2]! });
  }

  // The three main scenarios interleaved, so that noise from the machine falls on all of them alike.
  progress(`timing ${requests} list requests per scenario`);
  const first = await list({}, noFilter);
  const expectedTotal = first.total;
  if (first.items.length !== PAGE) throw new Error(`the first page has ${first.items.length} items, not ${PAGE}`);
  for (let i = 1; i < requests; i += 1) {
    const page = await list({}, noFilter);
    if (page.items.length !== PAGE || page.total !== expectedTotal) throw new Error('the unfiltered page changed during the run');
  }
  for (let i = 0; i < requests; i += 1) {
    await list({ q: fragment(random, names, 3 + (i % 2)) }, search);
    const page = await list({ grantType: grantTypes[i % 2]! }, byGrant);
    if (page.items.length !== PAGE) throw new Error(`a grantType page has ${page.items.length} items`);
    if (i % 3 === 0) await list({ q: fragment(random, names, 1 + (i % 2)) }, shortSearch);
    if (i % 3 === 1) await list({ q: fragment(random, names, 3), grantType: grantTypes[i % 2]! }, combined);
    if (i % 3 === 2) await list({ grantType: 'refresh_token', sort: i % 2 ? 'name' : '-createdAt' }, rareGrant);
  }

  progress('walking deeper pages by cursor');
  let cursor = first.nextCursor;
  for (let depth = 2; depth <= 101 && cursor; depth += 1) cursor = (await list({ cursor }, deepNoFilter)).nextCursor;
  cursor = (await list({ grantType: 'client_credentials' })).nextCursor;
  for (let depth = 2; depth <= 51 && cursor; depth += 1) cursor = (await list({ grantType: 'client_credentials', cursor }, deepByGrant)).nextCursor;
  for (let walks = 0; walks < 25; walks += 1) {
    const q = fragment(random, names, 3);
    cursor = (await list({ q })).nextCursor;
    for (let depth = 2; depth <= 5 && cursor; depth += 1) cursor = (await list({ q, cursor }, deepSearch)).nextCursor;
  }

  const verdict = (pass: boolean) => (pass ? 'PASS' : 'MISS');
  let allTargetsMet = true;
  const listRow = (s: ListScenario, summary: Summary, targeted: boolean) => {
    if (targeted && summary.p95 > LIST_P95_TARGET_MS) allTargetsMet = false;
    return [
      s.label,
      String(summary.n),
      String(Math.round(s.totals.reduce((a, b) => a + b, 0) / (s.totals.length || 1))),
      ms(summary.mean),
      ms(summary.p50),
      ms(summary.p95),
      ms(summary.max),
      targeted ? `p95 <= ${LIST_P95_TARGET_MS} ms` : 'none (info)',
      targeted ? verdict(summary.p95 <= LIST_P95_TARGET_MS) : summary.p95 <= LIST_P95_TARGET_MS ? '(under)' : '(over)',
    ];
  };
  const rows = [
    ...[noFilter, search, byGrant, deepNoFilter, deepByGrant, deepSearch].map((s) => listRow(s, summarize(s.samples), true)),
    ...[shortSearch, combined, rareGrant].map((s) => listRow(s, summarize(s.samples), false)),
  ];
  return { rows, expectedTotal, allTargetsMet };
}
