// Rotating and retiring a client's secrets (issue 10). A new secret goes into the vault the
// moment the server's answer arrives and the renderer gets only a handle, exactly as for a new
// client (secrets.ts); it is never logged. After each change the client is read back and applied
// to the replica at once, so the panel and the table show the new secret list before the change
// feed brings the same change (with the same changeSeq, so it is not applied twice).
import type { Client } from '../../shared/client.ts';
import type { ContractHandlers, Result } from '../../shared/contract.ts';
import { fail, ok } from '../../shared/contract.ts';
import type { ApiClient } from './api.ts';
import type { SecretVault } from './secrets.ts';

export interface ClientSecretsDeps {
  api: Pick<ApiClient, 'rotateSecret' | 'retireSecret' | 'getClient'>;
  vault: SecretVault;
  /** Applies the client as the server now has it to the replica (a local change). */
  applyLocal: (client: Client) => void;
  /** Null when a write may go to the server now; else why not (signed out, offline). */
  writeBlocked: () => Promise<Result<never> | null>;
}

type SecretHandlers = Pick<ContractHandlers, 'secrets:rotate' | 'secrets:retire'>;

/** The typed confirmation of a default client must be its own ID; the server checks it again. */
function confirmationProblem(clientId: string, confirmClientId: string | undefined): Result<never> | null {
  if (confirmClientId === undefined || confirmClientId === clientId) return null;
  const message = `Type the client ID "${clientId}" exactly to confirm.`;
  return fail('validation', message, [{ field: 'confirmClientId', message }]);
}

export function createClientSecretHandlers(deps: ClientSecretsDeps): SecretHandlers {
  const { api, vault } = deps;

  async function readBack(clientId: string): Promise<Client | null> {
    const latest = await api.getClient(clientId);
    if (!latest.ok) return null;
    deps.applyLocal(latest.value);
    return latest.value;
  }

  return {
    'secrets:rotate': async ({ clientId, confirmClientId, expiresInDays, retireOthersAfterHours }) => {
      const blocked = (await deps.writeBlocked()) ?? confirmationProblem(clientId, confirmClientId);
      if (blocked) return blocked;
      const body = { ...(expiresInDays !== undefined ? { expiresInDays } : {}), ...(retireOthersAfterHours !== undefined ? { retireOthersAfterHours } : {}) };
      const rotated = await api.rotateSecret(clientId, body, confirmClientId);
      if (!rotated.ok) return rotated;
      const held = vault.hold(rotated.value.secret);
      const client = await readBack(clientId);
      return ok({ client, secret: { handle: held.handle, hint: rotated.value.hint || held.hint }, secretId: rotated.value.id, expiresAt: rotated.value.expiresAt });
    },

    'secrets:retire': async ({ clientId, secretId, confirmClientId }) => {
      const blocked = (await deps.writeBlocked()) ?? confirmationProblem(clientId, confirmClientId);
      if (blocked) return blocked;
      const retired = await api.retireSecret(clientId, secretId, confirmClientId);
      if (!retired.ok) return retired;
      return ok({ client: await readBack(clientId) });
    },
  };
}
