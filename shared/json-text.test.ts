import { describe, expect, it } from 'vitest';
import { joinJsonTextFields, jsonArrayText, jsonText, parseJsonTextFields, resultChunks, stringifyResult } from './json-text.ts';

describe('JSON text across the boundary', () => {
  const items = [{ clientId: 'a', name: 'Billing "EU"' }, { clientId: 'b', name: 'Ünïcode\u2028line' }];
  const texts = items.map((item) => JSON.stringify(item));

  it('serve mode writes a text field as raw JSON, so the page parses the list once and gets the value itself', () => {
    const body = stringifyResult({ ok: true, value: { rev: 3, items: jsonArrayText(texts), complete: true } });
    expect(JSON.parse(body)).toEqual({ ok: true, value: { rev: 3, items, complete: true } });
    expect(JSON.parse(stringifyResult({ ok: true, value: { items: jsonText(JSON.stringify(items)) } }))).toEqual({ ok: true, value: { items } });
  });

  it('a long list is written in slices, none of them the whole list, that together are the JSON', () => {
    const many = Array.from({ length: 2_500 }, (_, i) => ({ clientId: `c${i}`, name: `Client ${i}` }));
    const chunks = Array.from(resultChunks({ ok: true, value: { rev: 1, items: jsonArrayText(many.map((c) => JSON.stringify(c))) } }));
    const whole = chunks.join('');
    expect(JSON.parse(whole)).toEqual({ ok: true, value: { rev: 1, items: many } });
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThan(whole.length / 2);
  });

  it('elements held as UTF-8 bytes are written as bytes, and join and parse to the same values as text', () => {
    const bytes = texts.map((text) => new TextEncoder().encode(text));
    const chunks = Array.from(resultChunks({ ok: true, value: { rev: 2, items: jsonArrayText(bytes) } }));
    expect(chunks.some((chunk) => chunk instanceof Uint8Array)).toBe(true);
    expect(JSON.parse(stringifyResult({ ok: true, value: { rev: 2, items: jsonArrayText(bytes) } }))).toEqual({ ok: true, value: { rev: 2, items } });
    expect(parseJsonTextFields(structuredClone(joinJsonTextFields({ ok: true, value: { items: jsonArrayText(bytes) } })))).toEqual({ ok: true, value: { items } });
    expect(parseJsonTextFields({ ok: true, value: { items: jsonArrayText(bytes) } })).toEqual({ ok: true, value: { items } });
  });

  it('a result with only the text field, or with no text field, serialises like JSON.stringify', () => {
    expect(JSON.parse(stringifyResult({ ok: true, value: { items: jsonArrayText([]) } }))).toEqual({ ok: true, value: { items: [] } });
    const plain = { ok: true, value: { rev: 1 } };
    expect(stringifyResult(plain)).toBe(JSON.stringify(plain));
    const failure = { ok: false, error: { code: 'offline', message: 'x' } };
    expect(stringifyResult(failure)).toBe(JSON.stringify(failure));
  });

  it('Electron IPC carries the list as one string, which the renderer parses; everything else is left alone', () => {
    const viaIpc = structuredClone(joinJsonTextFields({ ok: true, value: { rev: 3, items: jsonArrayText(texts) } }));
    expect(viaIpc).toEqual({ ok: true, value: { rev: 3, items: { $jsonText: JSON.stringify(items) } } });
    expect(parseJsonTextFields(viaIpc)).toEqual({ ok: true, value: { rev: 3, items } });
    expect(parseJsonTextFields({ ok: true, value: { items: jsonArrayText(texts) } })).toEqual({ ok: true, value: { items } });
    const already = { ok: true, value: { rev: 3, items } };
    expect(parseJsonTextFields(already)).toBe(already);
    expect(joinJsonTextFields(already)).toBe(already);
    const lookalike = { ok: true, value: { name: { $jsonText: 'not parsed', other: 1 } } };
    expect(parseJsonTextFields(lookalike)).toBe(lookalike);
    expect(parseJsonTextFields(jsonText('x'))).toEqual(jsonText('x'));
  });
});
