import { describe, expect, it } from 'vitest';
import { jsonArrayText, jsonText, parseJsonTextFields, stringifyResult } from './json-text.ts';

describe('JSON text across the boundary', () => {
  const items = [{ clientId: 'a', name: 'Billing "EU"' }, { clientId: 'b', name: 'Ünïcode\u2028line' }];
  const texts = items.map((item) => JSON.stringify(item));

  it('serve mode writes a JsonText field as raw JSON, so the page parses the list once and gets the value itself', () => {
    const body = stringifyResult({ ok: true, value: { rev: 3, items: jsonArrayText(texts), complete: true } });
    expect(JSON.parse(body)).toEqual({ ok: true, value: { rev: 3, items, complete: true } });
  });

  it('a result with only the text field, or with no text field, serialises like JSON.stringify', () => {
    expect(JSON.parse(stringifyResult({ ok: true, value: { items: jsonArrayText([]) } }))).toEqual({ ok: true, value: { items: [] } });
    const plain = { ok: true, value: { rev: 1 } };
    expect(stringifyResult(plain)).toBe(JSON.stringify(plain));
    const failure = { ok: false, error: { code: 'offline', message: 'x' } };
    expect(stringifyResult(failure)).toBe(JSON.stringify(failure));
  });

  it('the renderer parses a JsonText that came as text (Electron IPC) and leaves everything else alone', () => {
    const viaIpc = structuredClone({ ok: true, value: { rev: 3, items: jsonArrayText(texts) } });
    expect(parseJsonTextFields(viaIpc)).toEqual({ ok: true, value: { rev: 3, items } });
    const already = { ok: true, value: { rev: 3, items } };
    expect(parseJsonTextFields(already)).toBe(already);
    const lookalike = { ok: true, value: { name: { $jsonText: 'not parsed', other: 1 } } };
    expect(parseJsonTextFields(lookalike)).toBe(lookalike);
    expect(parseJsonTextFields(jsonText('x'))).toEqual(jsonText('x'));
  });
});
