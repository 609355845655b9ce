// `npm run server`: the ThetaSecure reference server, configured by THETASECURE_* variables.
import os from 'node:os';
import { startServer } from './app.ts';
import type { GeneratedCredentials } from './app.ts';
import { readServerConfig } from './config.ts';

function credentialsBlock(generated: GeneratedCredentials): string {
  const rows: [string, string | undefined, string][] = [
    ['admin password', generated.adminPassword, 'THETASECURE_ADMIN_PASSWORD'],
    ['helpdesk password', generated.helpdeskPassword, 'THETASECURE_HELPDESK_PASSWORD'],
    ['ts_admin_client secret', generated.adminClientSecret, 'THETASECURE_ADMIN_CLIENT_SECRET'],
    ['ts_sync_client secret', generated.syncClientSecret, 'THETASECURE_SYNC_CLIENT_SECRET'],
  ];
  const lines = rows.filter(([, value]) => value).map(([label, value]) => `  ${`${label}:`.padEnd(25)} ${value}`);
  const bar = '='.repeat(78);
  return [
    bar,
    '  FIRST START: generated credentials. They are shown ONLY NOW and never again.',
    '  Store them in a password manager. (Set the THETASECURE_* variables to choose your own.)',
    bar,
    ...lines,
    bar,
  ].join('\n');
}

/** `npm run server -- --migrate-only`: brings the schema up to date and exits (deployments run it before rolling out). */
async function migrateOnly(databaseUrl: string | undefined, dataDir: string): Promise<void> {
  try {
    if (databaseUrl) {
      const { migratePostgres } = await import('./postgres/backend.ts');
      const applied = await migratePostgres(databaseUrl);
      console.log(applied.length ? `Applied migrations: ${applied.join(', ')}.` : 'The PostgreSQL schema is up to date.');
    } else {
      const { openDatabase } = await import('./database.ts');
      openDatabase(dataDir).close();
      console.log(`The SQLite schema in ${dataDir} is up to date.`);
    }
  } catch (error) {
    console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

/** host, port and database of a URL, never its user or password. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `postgres://${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres://…';
  }
}

async function main(): Promise<void> {
  const result = readServerConfig(process.env, process.platform, os.homedir());
  if (!result.ok) {
    for (const error of result.errors) console.error(`Configuration error: ${error}`);
    process.exit(2);
  }
  const { config } = result;
  if (process.argv.includes('--migrate-only')) {
    await migrateOnly(config.databaseUrl, config.dataDir);
    return;
  }
  let server;
  try {
    server = await startServer({ ...config, issuer: config.issuer });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') console.error(`Port ${config.port} on ${config.host} is in use. Set THETASECURE_PORT to another port.`);
    else console.error(`The server could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  if (server.generated) console.log(credentialsBlock(server.generated));
  console.log(`ThetaSecure server listening on ${server.url} (issuer ${server.issuer}, admin API audience ${server.apiAudience}, ${config.databaseUrl ? `database ${redactedUrl(config.databaseUrl)}` : `data ${server.dataDir}`})`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: shutting down.`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();
