import { describe, expect, it } from 'vitest';
import type { SecretMeta } from '../../../shared/client.ts';
import { sampleClient } from '../../../shared/testing/sample-client.ts';
import { emptyRotateForm, retireBlockedReason, rotateBlockedReason, rotateErrorsFrom, rotateFormProblems, rotateInput, secretRows } from './secret-rotation.ts';

const NOW = Date.parse('2026-12-02T12:00:00.000Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const secret = (overrides: Partial<SecretMeta>): SecretMeta => ({ id: 's', hint: '…abcd', createdAt: iso(NOW - 10 * HOUR), expiresAt: null, lastUsedAt: null, status: 'active', retiresAt: null, ...overrides });

describe('the Secrets section', () => {
  it('lists secrets newest first, each with its status now — a replica copy older than an expiry or the end of an overlap is corrected', () => {
    const client = sampleClient({
      secrets: [
        secret({ id: 'oldest', createdAt: iso(NOW - 30 * HOUR), retiresAt: iso(NOW - HOUR) }),
        secret({ id: 'middle', createdAt: iso(NOW - 20 * HOUR), expiresAt: iso(NOW - 60_000) }),
        secret({ id: 'newest', createdAt: iso(NOW - HOUR), retiresAt: null }),
        secret({ id: 'overlap', createdAt: iso(NOW - 2 * HOUR), retiresAt: iso(NOW + 20 * HOUR) }),
      ],
    });
    const rows = secretRows(client, NOW);
    expect(rows.map((r) => [r.secret.id, r.status, r.retiring])).toEqual([
      ['newest', 'active', false],
      ['overlap', 'active', true],
      ['middle', 'expired', false],
      ['oldest', 'retired', false],
    ]);
  });

  it('refuses to offer retiring the only working secret, and offers it while another one works', () => {
    const one = secretRows(sampleClient({ secrets: [secret({ id: 'a' }), secret({ id: 'b', status: 'retired' })] }), NOW);
    expect(retireBlockedReason(one, 'a')).toBe('This is the only working secret: rotate first, then retire it.');
    const two = secretRows(sampleClient({ secrets: [secret({ id: 'a' }), secret({ id: 'b', createdAt: iso(NOW) })] }), NOW);
    expect(retireBlockedReason(two, 'a')).toBeNull();
    expect(retireBlockedReason(two, 'missing')).toBe('Only a working secret can be retired.');
  });

  it('offers no fourth secret while three work (the server would refuse it), but does when one of them is retired', () => {
    const three = [secret({ id: 'a' }), secret({ id: 'b' }), secret({ id: 'c' })];
    expect(rotateBlockedReason(secretRows(sampleClient({ secrets: three }), NOW))).toBe('This client already has 3 working secrets: retire one before rotating.');
    expect(rotateBlockedReason(secretRows(sampleClient({ secrets: [...three.slice(0, 2), secret({ id: 'c', status: 'retired' })] }), NOW))).toBeNull();
  });
});

describe('the "Rotate secret…" form', () => {
  it('starts at 365 days and a 24-hour overlap, and sends exactly that', () => {
    const values = emptyRotateForm();
    expect(rotateFormProblems(values)).toEqual({});
    expect(rotateInput(values)).toEqual({ expiresInDays: 365, retireOthersAfterHours: 24 });
    expect(rotateInput({ ...values, expires: 'never', overlapHours: '0' })).toEqual({ retireOthersAfterHours: 0 });
  });

  it('names the field of each bad value', () => {
    expect(rotateFormProblems({ expires: 'days', days: '0', overlapHours: '24' })).toEqual({ expiresInDays: 'Enter a whole number of days from 1 to 730.' });
    expect(rotateFormProblems({ expires: 'days', days: '731', overlapHours: '1.5' })).toEqual({
      expiresInDays: 'Enter a whole number of days from 1 to 730.',
      retireOthersAfterHours: 'Enter a whole number of hours from 0 to 720 (0 stops the current secret at once).',
    });
    // "Never" ignores whatever is in the days box.
    expect(rotateFormProblems({ expires: 'never', days: 'abc', overlapHours: '721' })).toEqual({ retireOthersAfterHours: 'Enter a whole number of hours from 0 to 720 (0 stops the current secret at once).' });
  });

  it("puts the server's field errors on the form's fields and the rest above the form", () => {
    expect(rotateErrorsFrom({ code: 'validation', message: 'x', fields: [{ field: 'expiresInDays', message: 'This server caps secrets at 90 days.' }] })).toEqual({ expiresInDays: 'This server caps secrets at 90 days.' });
    expect(rotateErrorsFrom({ code: 'validation', message: 'Bad', fields: [{ field: 'body', message: 'The body is not JSON.' }] })).toEqual({ form: 'The body is not JSON.' });
  });
});
