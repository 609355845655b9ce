// Labels as chips (issue 11): `team:payments` shows its key quietly and its value plainly.
import { labelKey } from '../../../shared/labels.ts';

export function LabelChips({ labels, max }: { labels: readonly string[]; max?: number }) {
  if (labels.length === 0) return null;
  const shown = max !== undefined ? labels.slice(0, max) : labels;
  const rest = labels.length - shown.length;
  return (
    <span className="label-chips">
      {shown.map((label) => {
        const key = labelKey(label);
        const value = label.length > key.length ? label.slice(key.length + 1) : null;
        return (
          <span key={label} className="label-chip" title={label}>
            {value === null ? (
              key
            ) : (
              <>
                <span className="label-key">{key}:</span>
                {value}
              </>
            )}
          </span>
        );
      })}
      {rest > 0 ? <span className="label-chip label-more">+{rest}</span> : null}
    </span>
  );
}
