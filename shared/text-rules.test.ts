import { describe, expect, it } from 'vitest';
import { hasLoneSurrogate, textProblem, uriTextProblem, visibleText } from './text-rules.ts';

describe('text rules for names, descriptions and URIs (issue 9 item 7)', () => {
  it.each([
    ['NUL', 'Billing\u0000Service'],
    ['tab', 'Billing\tService'],
    ['escape', 'Billing\u001b[31m'],
    ['DEL', 'Billing\u007f'],
    ['C1 control', 'Billing\u0085'],
    ['line feed', 'Billing\nService'],
    ['carriage return', 'Billing\rService'],
  ])('a one-line field refuses a %s', (_what, value) => {
    expect(textProblem(value, 'Client Name')).toMatch(/^Client Name cannot contain control characters/);
  });

  it('a multi-line field keeps line feeds but refuses other controls', () => {
    expect(textProblem('line one\nline two', 'Description', { allowLineFeeds: true })).toBeNull();
    expect(textProblem('line one\u0000', 'Description', { allowLineFeeds: true })).toMatch(/control characters \(line breaks are fine\)/);
  });

  it.each(['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'])('refuses the bidi control U+%s', (char) => {
    expect(textProblem(`invoice${char}fdp.exe`, 'Client Name')).toMatch(/bidirectional override/);
  });

  it('refuses lone surrogates, keeps paired ones (emoji)', () => {
    expect(hasLoneSurrogate('a\ud800b')).toBe(true);
    expect(hasLoneSurrogate('a\udc00')).toBe(true);
    expect(hasLoneSurrogate('\ud800')).toBe(true);
    expect(hasLoneSurrogate('rocket 🚀')).toBe(false);
    expect(textProblem('x\udfff', 'Client Name')).toMatch(/lone UTF-16 surrogate/);
    expect(textProblem('Deploy 🚀 Bot', 'Client Name')).toBeNull();
  });

  it('visible text drops zero-width, formatting and space characters only', () => {
    expect(visibleText('\u200b\u200c\u200d\u2060\ufeff\u00ad \u00a0\u3000\u3164')).toBe('');
    expect(visibleText('Ops\u200d Team')).toBe('OpsTeam');
    expect(visibleText('Служба')).toBe('Служба');
  });

  it('a URI also refuses invisible characters anywhere', () => {
    expect(uriTextProblem('https://a.example/\u200b')).toMatch(/invisible/);
    expect(uriTextProblem('https://a.example/cb')).toBeNull();
  });
});
