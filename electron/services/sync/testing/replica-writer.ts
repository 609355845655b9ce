// A child process for the crash test: applies numbered batches to a replica file as fast as it
// can and prints "acked <n>" after each commit, until it is killed (kill -9) mid-way.
// argv: file, key (base64), owner, batch size.
import { openReplicaStore } from '../replica-store.ts';

const [file, keyText, owner, sizeText] = process.argv.slice(2) as [string, string, string, string];
const opened = openReplicaStore(file, Buffer.from(keyText, 'base64'), owner);
if (!opened.ok) {
  process.stdout.write(`damaged ${opened.detail}\n`);
  process.exit(2);
}
const size = Number(sizeText);
let batch = opened.store.meta().seq;
for (;;) {
  batch += 1;
  // Each batch rewrites the same `size` clients (and adds one), so a half-applied batch would
  // show up as clients of two different batches.
  const upserts = Array.from({ length: size }, (_, i) => ({ clientId: `client-${i}`, changeSeq: batch, createdAt: '2026-01-01T00:00:00.000Z', json: Buffer.from(JSON.stringify({ clientId: `client-${i}`, name: `Client ${i} of batch ${batch}`, changeSeq: batch })) }));
  upserts.push({ clientId: `added-${batch}`, changeSeq: batch, createdAt: '2026-01-01T00:00:00.000Z', json: Buffer.from(JSON.stringify({ clientId: `added-${batch}`, name: `Added in ${batch}`, changeSeq: batch })) });
  opened.store.apply({ upserts, deleted: batch > 1 ? [`added-${batch - 1}`] : [], meta: { seq: batch, syncedAt: new Date().toISOString(), complete: true } });
  process.stdout.write(`acked ${batch}\n`);
}
