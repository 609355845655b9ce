// A host process for the crash test: a replica of the real server's clients in a real file (key
// in the real keychain), caught up page by page from the change feed. It prints one line after
// each page is committed ("page <seq> <rows>") and "live <seq> <rows>" when in step, and keeps
// going until it is killed. The admin API token arrives on stdin, never in argv or the
// environment. argv: issuer, replica folder, page size.
import { createApiClient } from '../../api.ts';
import { systemClock } from '../../effects.ts';
import { createKeytarKeychain } from '../../keychain.ts';
import { ok } from '../../../../shared/contract.ts';
import { createReplicaService } from '../replica.ts';

const [issuer, dir, pageText] = process.argv.slice(2) as [string, string, string];
const token = await new Promise<string>((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  process.stdin.on('end', () => resolve(text.trim()));
});

const api = createApiClient({ issuer: () => issuer, auth: { accessToken: async () => ok(token), refreshAfterUnauthorized: async () => false } });
const replica = createReplicaService({
  api,
  keychain: createKeytarKeychain(),
  clock: systemClock,
  log: (entry) => process.stdout.write(`log ${JSON.stringify(entry)}\n`),
  emit: (event, payload) => {
    if (event !== 'sync:changed') return;
    const state = payload as { phase: string; seq: number };
    process.stdout.write(`${state.phase === 'live' ? 'live' : 'page'} ${state.seq} ${countRows()}\n`);
  },
  dir,
  ttlDays: () => 7,
  pageLimit: Number(pageText),
});

function countRows(): number {
  const { items } = replica.snapshot() as unknown as { items: { $jsonArray: string[] } };
  return items.$jsonArray.length;
}

await replica.switchTo({ issuer, subject: 'crash-test' });
process.stdout.write(`opened ${replica.state().seq} ${countRows()}\n`);
replica.follow(true);
setInterval(() => undefined, 60_000);
