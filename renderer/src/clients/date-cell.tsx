// The table's date cells (Created, Last used): the user's locale and time zone, on two lines.
import { formatDateParts } from '../lib/format.ts';

const dateFormatCache = new Map<string, { date: string; time: string }>();
function dateParts(iso: string): { date: string; time: string } {
  let parts = dateFormatCache.get(iso);
  if (parts === undefined) {
    parts = formatDateParts(iso);
    // Dates are many (and last-use times change often): keep the cache bounded.
    if (dateFormatCache.size > 20_000) dateFormatCache.clear();
    dateFormatCache.set(iso, parts);
  }
  return parts;
}

/**
 * A date on two lines, the time under the date in muted text: the Created and Last used
 * columns fit in 116 px each, which is what lets all seven columns show at 1280 px. The
 * space before the time keeps the text readable as one ("Nov 26, 2026 12:00 PM").
 */
export function DateCell({ iso }: { iso: string }) {
  const { date, time } = dateParts(iso);
  return (
    <time className="cell-date" dateTime={iso}>
      <span>{date}</span>
      <span className="cell-date-time"> {time}</span>
    </time>
  );
}
