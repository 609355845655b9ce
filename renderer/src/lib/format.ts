// Dates and times in the user's own locale and time zone; relative ages for the offline banner.
import type { ContractError } from '../../../shared/contract.ts';

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const longDateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'medium' });

/** "Nov 26, 2026, 12:00 PM" in the local time zone; the raw text when it is not a date. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

const dateOnlyFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeOnlyFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/**
 * The same moment as `formatDateTime`, as its date ("Nov 26, 2026") and time ("12:00 PM"), for
 * the table's two-line date cells; the raw text as the date when it is not a date.
 */
export function formatDateParts(iso: string): { date: string; time: string } {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? { date: iso, time: '' } : { date: dateOnlyFormat.format(date), time: timeOnlyFormat.format(date) };
}

export function formatLongDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : longDateTimeFormat.format(date);
}

const countFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

/** "100,000" with the user's locale grouping. */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dayAndTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * When an offline copy was taken and how old it is: "at 14:02, 3 hours ago" today,
 * "on Nov 26, 2026, 14:02, 2 days ago" before today (local time zone and locale).
 */
export function formatCachedAt(iso: string, now: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'at an unknown time';
  const sameDay = new Date(now).toDateString() === date.toDateString();
  const when = sameDay ? `at ${timeFormat.format(date)}` : `on ${dayAndTimeFormat.format(date)}`;
  return `${when}, ${formatAge(iso, now)}`;
}

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "just now", "5 minutes ago", "yesterday", … relative to `now`. */
export function formatAge(iso: string, now: number): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return 'at an unknown time';
  const seconds = Math.round((then - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return 'just now';
  if (abs < 45 * 60) return relativeFormat.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
  return relativeFormat.format(Math.round(seconds / 86400), 'day');
}

/** The message a user should read for a failed call; codes the user can act on get plain words. */
export function errorMessage(error: ContractError): string {
  switch (error.code) {
    case 'offline':
      return 'The ThetaSecure server cannot be reached. Check your connection and try again.';
    case 'forbidden':
      return 'Your role does not allow this change.';
    case 'unauthenticated':
      return 'Your session has ended. Sign in again.';
    case 'timeout':
      return 'The server took too long to answer. Try again.';
    case 'rate_limited':
      return 'Too many requests. Wait a moment and try again.';
    default:
      return error.message;
  }
}
