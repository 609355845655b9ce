// One server under test, in its own process (forked by server-bench.ts), so that the load
// generator in the parent never shares this server's event loop. `ours` runs the real server
// (server/app.ts) on a seeded data folder; `bare` runs the bare oidc-provider baseline.
// Settings and secrets arrive over the IPC channel, not in argv or the environment.
import { startServer } from '../server/app.ts';
import { startBareProvider } from './server-bare-provider.ts';
import type { BareClient } from './server-bare-provider.ts';

export type ChildStart =
  | { mode: 'ours'; dataDir: string; databaseUrl?: string; issuer?: string; adminClientSecret: string; syncClientSecret: string; adminPassword: string; helpdeskPassword: string }
  | { mode: 'bare'; client: BareClient };

export type ChildMessage = { type: 'ready'; url: string; apiAudience: string } | { type: 'failed'; message: string } | { type: 'stopped' };

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function start(request: ChildStart): Promise<() => Promise<void>> {
  if (request.mode === 'bare') {
    const server = await startBareProvider(request.client);
    send({ type: 'ready', url: server.url, apiAudience: `${server.url}/api` });
    return () => server.close();
  }
  // The request log stays on, as in `npm run server`; the parent points this process's stdout at /dev/null.
  const server = await startServer({
    port: 0,
    dataDir: request.dataDir,
    databaseUrl: request.databaseUrl,
    issuer: request.issuer,
    adminClientSecret: request.adminClientSecret,
    syncClientSecret: request.syncClientSecret,
    adminPassword: request.adminPassword,
    helpdeskPassword: request.helpdeskPassword,
  });
  send({ type: 'ready', url: server.url, apiAudience: server.apiAudience });
  return () => server.close();
}

if (!process.send) {
  console.error('server-child.ts is started by bench/server-bench.ts, not by hand.');
  process.exit(2);
}

let stop: (() => Promise<void>) | undefined;
process.on('message', (message: ChildStart | { mode: 'stop' }) => {
  if (message.mode === 'stop') {
    void (stop?.() ?? Promise.resolve()).finally(() => {
      send({ type: 'stopped' });
      process.disconnect();
      process.exit(0);
    });
    return;
  }
  start(message).then(
    (close) => {
      stop = close;
    },
    (error: unknown) => {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    },
  );
});
// The parent gone (crash, Ctrl-C) means nobody will ask us to stop.
process.on('disconnect', () => process.exit(0));
