import { describe, expect, it } from 'vitest';
import { errorMessage, formatAge, formatCachedAt, formatCount, formatDateParts, formatDateTime } from './format.ts';

describe('formatting', () => {
  const now = Date.parse('2026-11-26T12:00:00.000Z');

  it('says how old the offline copy is in words', () => {
    expect(formatAge('2026-11-26T11:59:40.000Z', now)).toBe('just now');
    expect(formatAge('2026-11-26T11:55:00.000Z', now)).toMatch(/5 minutes ago/);
    expect(formatAge('2026-11-26T09:00:00.000Z', now)).toMatch(/3 hours ago/);
    expect(formatAge('2026-11-24T12:00:00.000Z', now)).toMatch(/2 days ago/);
    expect(formatAge('not a date', now)).toBe('at an unknown time');
  });

  it('says when the offline copy was taken and how old it is: the time today, the date before today', () => {
    const threeHoursAgo = new Date(now - 3 * 3600_000);
    const today = formatCachedAt(threeHoursAgo.toISOString(), now);
    const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(threeHoursAgo);
    // Unless the test runs in the first three hours of a local day, that was today.
    if (new Date(now).toDateString() === threeHoursAgo.toDateString()) expect(today).toBe(`at ${time}, 3 hours ago`);
    else expect(today).toMatch(/^on .*, 3 hours ago$/);
    expect(formatCachedAt('2026-11-20T12:00:00.000Z', now)).toMatch(/^on .*2026.*, 6 days ago$/);
    expect(formatCachedAt('not a date', now)).toBe('at an unknown time');
  });

  it('groups large counts as the locale does', () => {
    expect(formatCount(100_000)).toBe(new Intl.NumberFormat().format(100_000));
    expect(formatCount(5)).toBe('5');
  });

  it('shows dates in local time and leaves what is not a date as it is', () => {
    expect(formatDateTime('2026-11-26T12:00:00.000Z')).toMatch(/2026/);
    expect(formatDateTime('soon')).toBe('soon');
  });

  it('turns the codes a user can act on into plain words, and keeps the host\'s message otherwise', () => {
    expect(errorMessage({ code: 'offline', message: 'ECONNREFUSED 127.0.0.1:4000' })).toBe('The ThetaSecure server cannot be reached. Check your connection and try again.');
    expect(errorMessage({ code: 'forbidden', message: 'insufficient_scope' })).toBe('Your role does not allow this change.');
    expect(errorMessage({ code: 'server', message: 'The server answered 500.' })).toBe('The server answered 500.');
  });

  it('splits a moment into the date and the time the table shows on two lines, in the user\'s locale', () => {
    const iso = '2026-11-26T12:00:00.000Z';
    const moment = new Date(iso);
    expect(formatDateParts(iso)).toEqual({ date: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(moment), time: new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(moment) });
    expect(formatDateParts('not a date')).toEqual({ date: 'not a date', time: '' });
  });
});
