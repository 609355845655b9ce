// Export (issue 11): the host saves through its save dialog (Electron) or hands the document
// back, and then the page downloads it (serve mode). Answers a line for the status area.
import { call } from '../lib/bridge.ts';
import { errorMessage, formatCount } from '../lib/format.ts';

export async function exportClients(clientIds: readonly string[]): Promise<string> {
  const result = await call('clients:export', { clientIds: [...clientIds] });
  if (!result.ok) return `Export failed: ${errorMessage(result.error)}`;
  const { count, fileName, saved, text } = result.value;
  if (saved === 'cancelled') return 'Export cancelled.';
  if (saved === 'download' && text !== undefined) {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return `Exported ${formatCount(count)} ${count === 1 ? 'client' : 'clients'} to ${fileName}.`;
}
