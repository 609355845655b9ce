// Issue 11 in the host: a client's history, bulk actions, export and import. Results of a batch
// reach the replica at once (the server's clients as answered), like any local change; an
// import's new secrets go into the vault and the renderer gets handles, as for a new client.
// Export saves through the host's save dialog when it has one (Electron), else hands the text to
// the page (serve mode downloads it).
import type { Client } from '../../shared/client.ts';
import { BATCH_MAX } from '../../shared/client-batch.ts';
import type { BatchResult } from '../../shared/client-batch.ts';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../../shared/client-transfer.ts';
import type { ContractHandlers, Result } from '../../shared/contract.ts';
import { fail, ok } from '../../shared/contract.ts';
import type { ApiClient } from './api.ts';
import type { SecretVault } from './secrets.ts';

/** Ids per export request (the server's limit: they travel in the URL). */
const EXPORT_CHUNK = 300;

/** A host's save dialog: resolves to the path written, or null when the user cancelled. */
export type SaveFileEffect = (suggestedName: string, text: string) => Promise<string | null>;

export interface ClientAdminDeps {
  api: Pick<ApiClient, 'history' | 'batch' | 'exportClients' | 'importClients'>;
  vault: Pick<SecretVault, 'hold'>;
  applyLocal: (change: { upsert?: Client; deletedId?: string }) => void;
  /** Reads the change feed now (an import's clients arrive through it). */
  refresh: () => Promise<unknown>;
  /** Null when the server may be called now; else why not (signed out, offline). */
  blocked: () => Promise<Result<never> | null>;
  saveFile?: SaveFileEffect;
  now: () => Date;
}

type Handlers = Pick<ContractHandlers, 'clients:history' | 'clients:batch' | 'clients:export' | 'clients:import'>;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export function createClientAdminHandlers(deps: ClientAdminDeps): Handlers {
  const { api } = deps;

  return {
    'clients:history': async ({ clientId, cursor }) => {
      const blocked = await deps.blocked();
      if (blocked) return blocked;
      return api.history(clientId, cursor);
    },

    'clients:batch': async ({ action, clientIds, label }) => {
      const blocked = await deps.blocked();
      if (blocked) return blocked;
      const results: BatchResult[] = [];
      for (const [index, chunk] of chunks(clientIds, BATCH_MAX).entries()) {
        const answer = await api.batch(action, chunk, label);
        if (!answer.ok) {
          // A later chunk that could not be sent: its clients are reported as not done, the earlier ones stand.
          if (index === 0) return answer;
          for (const clientId of chunk) results.push({ clientId, ok: false, problem: { status: 0, type: 'urn:thetasecure:app:not-sent', title: 'Not sent', detail: answer.error.message } });
          continue;
        }
        for (const result of answer.value.results) {
          results.push(result);
          if (!result.ok) continue;
          if (action === 'delete') deps.applyLocal({ deletedId: result.clientId });
          else if (result.client && !result.unchanged) deps.applyLocal({ upsert: result.client });
        }
      }
      const failed = results.filter((result) => !result.ok).length;
      return ok({ results, succeeded: results.length - failed, failed });
    },

    'clients:export': async ({ clientIds }) => {
      const blocked = await deps.blocked();
      if (blocked) return blocked;
      const clients: unknown[] = [];
      for (const chunk of chunks(clientIds, EXPORT_CHUNK)) {
        const answer = await api.exportClients(chunk);
        if (!answer.ok) return answer;
        clients.push(...answer.value.clients);
      }
      const exportedAt = deps.now().toISOString();
      const text = `${JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt, clients }, null, 2)}\n`;
      const fileName = `thetasecure-clients-${exportedAt.slice(0, 10)}.json`;
      if (!deps.saveFile) return ok({ count: clients.length, fileName, saved: 'download' as const, text });
      const written = await deps.saveFile(fileName, text);
      return ok({ count: clients.length, fileName, saved: written === null ? ('cancelled' as const) : ('file' as const) });
    },

    'clients:import': async ({ text, dryRun }) => {
      const blocked = await deps.blocked();
      if (blocked) return blocked;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        const message = 'The file is not JSON: choose a file exported by ThetaSecure Admin.';
        return fail('validation', message, [{ field: 'file', message }]);
      }
      const answer = await api.importClients(body, dryRun);
      if (!answer.ok) return answer;
      const { secrets: clear, ...plan } = answer.value;
      // Into the vault at once: the renderer only ever sees handles and hints.
      const secrets = (clear ?? []).map(({ clientId, name, clientSecret }) => {
        const held = deps.vault.hold(clientSecret);
        return { clientId, name, secret: { handle: held.handle, hint: held.hint } };
      });
      if (plan.applied) await deps.refresh();
      return ok({ ...plan, secrets });
    },
  };
}
