// A JSON value that a host already holds as text (the replica keeps each client as its JSON),
// moved across the boundary without being parsed and serialised again on the way.
//
// At 100,000 clients the list is ~60 MB of JSON. Turning it into objects in the host and back
// into text for IPC or HTTP costs about a second and 200 MB of heap; splicing the text the host
// already has costs a string join. So a contract result may carry a `JsonText` in place of a
// value at the top level of its `value`:
// - serve mode writes the text into its HTTP body as raw JSON (`stringifyResult`), so the page's
//   `response.json()` yields the value itself;
// - Electron's IPC moves it as one string (a memcpy), and the renderer's `call` parses it
//   (`parseJsonTextFields`) in the page's own world — not in the preload, whose objects would
//   be copied once more by contextBridge.
// The renderer therefore always sees the type the contract names.

export interface JsonText {
  readonly $jsonText: string;
}

export function jsonText(text: string): JsonText {
  return { $jsonText: text };
}

export function isJsonText(value: unknown): value is JsonText {
  return typeof value === 'object' && value !== null && typeof (value as { $jsonText?: unknown }).$jsonText === 'string' && Object.keys(value).length === 1;
}

/** A JSON array of already-serialised values. */
export function jsonArrayText(items: Iterable<string>): JsonText {
  return jsonText(`[${Array.from(items).join(',')}]`);
}

/**
 * Replaces each `JsonText` among the top-level fields of `result.value` with its parsed value.
 * Anything else is returned as it is.
 */
export function parseJsonTextFields<T>(result: T): T {
  if (typeof result !== 'object' || result === null) return result;
  const { ok, value } = result as { ok?: unknown; value?: unknown };
  if (ok !== true || typeof value !== 'object' || value === null || Array.isArray(value)) return result;
  let changed: Record<string, unknown> | null = null;
  for (const [key, field] of Object.entries(value)) {
    if (!isJsonText(field)) continue;
    changed ??= { ...(value as Record<string, unknown>) };
    changed[key] = JSON.parse(field.$jsonText) as unknown;
  }
  return changed ? ({ ...result, value: changed } as T) : result;
}

/**
 * `JSON.stringify(result)`, except that each top-level `JsonText` field of `result.value` is
 * written as the raw JSON it holds.
 */
export function stringifyResult(result: unknown): string {
  const { ok, value } = (result ?? {}) as { ok?: unknown; value?: unknown };
  if (ok !== true || typeof value !== 'object' || value === null || Array.isArray(value)) return JSON.stringify(result);
  const raw: string[] = [];
  const plain: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (isJsonText(field)) raw.push(`${JSON.stringify(key)}:${field.$jsonText}`);
    else plain[key] = field;
  }
  if (raw.length === 0) return JSON.stringify(result);
  const rest = JSON.stringify(plain);
  const fields = rest === '{}' ? raw.join(',') : `${raw.join(',')},${rest.slice(1, -1)}`;
  return `{"ok":true,"value":{${fields}}}`;
}
