// What an open edit form says when its client changes elsewhere while the user edits it (the
// replica brings the other admin's change live): nothing is replaced on its own. "Reload" lays
// the user's changed fields over the other version (`rebaseEdits`), so neither side's work is
// lost; until then the form keeps exactly what the user typed.
import { RefreshCw, TriangleAlert } from 'lucide-react';
import { Button } from '../ui/button.tsx';

export function RemoteChangeNotice({ deleted, onReload }: { deleted: boolean; onReload: () => void }) {
  if (deleted) {
    return (
      <div className="callout callout-danger" role="alert">
        <TriangleAlert aria-hidden size={16} />
        <p>
          <strong>This client was deleted</strong> by someone else while you were editing it. It can no longer be saved.
        </p>
      </div>
    );
  }
  return (
    <div className="callout callout-warning" role="alert">
      <TriangleAlert aria-hidden size={16} />
      <div>
        <p>
          <strong>Changed by someone else — reload</strong> to see their version. Your edits stay on top of it; nothing is lost until you save.
        </p>
        <Button variant="secondary" icon={<RefreshCw aria-hidden size={14} />} onClick={onReload}>
          Reload
        </Button>
      </div>
    </div>
  );
}
