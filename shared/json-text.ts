// A JSON value that a host already holds as text (the replica keeps each client as its JSON),
// moved across the boundary without being parsed and serialised again on the way.
//
// At 100,000 clients the list is ~60 MB of JSON. Turning it into objects in the host and back
// into text for IPC or HTTP costs about a second and 200 MB of heap; even joining the texts into
// one string, and that string into one HTTP body, holds two more 60 MB copies at once. So a
// contract result may carry, at the top level of its `value`, in place of a value:
// - a `JsonArrayText`: the element texts the host holds, not joined (`jsonArrayText`). Serve
//   mode writes them into its HTTP body piece by piece (`resultChunks`), so the page's
//   `response.json()` yields the value itself and the host never holds the whole body;
// - a `JsonText`: one string. Electron's IPC moves a string as a memcpy, so the IPC glue turns a
//   `JsonArrayText` into one (`joinJsonTextFields`), and the renderer's `call` parses it
//   (`parseJsonTextFields`) in the page's own world — not in the preload, whose objects would be
//   copied once more by contextBridge.
// The renderer therefore always sees the type the contract names.

export interface JsonText {
  readonly $jsonText: string;
}

export interface JsonArrayText {
  /** Each element's JSON, as text or as its UTF-8 bytes (a host may keep them off its JS heap). */
  readonly $jsonArray: readonly (string | Uint8Array)[];
}

export function jsonText(text: string): JsonText {
  return { $jsonText: text };
}

/** A JSON array of already-serialised values, kept as the separate texts until written. */
export function jsonArrayText(items: readonly (string | Uint8Array)[]): JsonArrayText {
  return { $jsonArray: items };
}

const onlyKey = (value: object, key: string) => Object.keys(value).length === 1 && key in value;

export function isJsonText(value: unknown): value is JsonText {
  return typeof value === 'object' && value !== null && typeof (value as { $jsonText?: unknown }).$jsonText === 'string' && onlyKey(value, '$jsonText');
}

export function isJsonArrayText(value: unknown): value is JsonArrayText {
  return typeof value === 'object' && value !== null && Array.isArray((value as { $jsonArray?: unknown }).$jsonArray) && onlyKey(value, '$jsonArray');
}

/**
 * Elements of a JsonArrayText per chunk of a written body: ~60 KB of clients. A chunk stays
 * below V8's large-object size (128 KB), so it dies young and is swept by the next scavenge; 1,000
 * clients a chunk put 60 MB of large objects in the old generation at every window load, which a
 * host only collects much later (and its resident memory shows).
 */
const ELEMENTS_PER_CHUNK = 100;
const COMMA = 0x2c;
const decoder = new TextDecoder();
const textOf = (element: string | Uint8Array) => (typeof element === 'string' ? element : decoder.decode(element));

/** `before`, the elements separated by commas, as one string or (when they are bytes) one byte array. */
function joinElements(elements: readonly (string | Uint8Array)[], before: string): string | Uint8Array {
  if (elements.every((element) => element instanceof Uint8Array)) {
    const bytes = elements as readonly Uint8Array[];
    const out = new Uint8Array(before.length + bytes.reduce((sum, element) => sum + element.length, 0) + Math.max(0, bytes.length - 1));
    let at = 0;
    for (let i = 0; i < before.length; i += 1) out[at++] = before.charCodeAt(i);
    bytes.forEach((element, index) => {
      if (index > 0) out[at++] = COMMA;
      out.set(element, at);
      at += element.length;
    });
    return out;
  }
  return before + elements.map(textOf).join(',');
}

function* rawChunks(field: JsonText | JsonArrayText): Generator<string | Uint8Array> {
  if (isJsonText(field)) {
    yield field.$jsonText;
    return;
  }
  const items = field.$jsonArray;
  yield '[';
  for (let start = 0; start < items.length; start += ELEMENTS_PER_CHUNK) yield joinElements(items.slice(start, start + ELEMENTS_PER_CHUNK), start === 0 ? '' : ',');
  yield ']';
}

const chunkText = (chunk: string | Uint8Array) => (typeof chunk === 'string' ? chunk : decoder.decode(chunk));

function splitFields(result: unknown): { raw: Array<[string, JsonText | JsonArrayText]>; plain: Record<string, unknown> } | null {
  const { ok, value } = (result ?? {}) as { ok?: unknown; value?: unknown };
  if (ok !== true || typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const raw: Array<[string, JsonText | JsonArrayText]> = [];
  const plain: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (isJsonText(field) || isJsonArrayText(field)) raw.push([key, field]);
    else plain[key] = field;
  }
  return raw.length ? { raw, plain } : null;
}

/**
 * `JSON.stringify(result)` as a sequence of pieces, except that each top-level text field of
 * `result.value` is written as the raw JSON it holds, an array one slice of elements at a time.
 */
export function* resultChunks(result: unknown): Generator<string | Uint8Array> {
  const fields = splitFields(result);
  if (!fields) {
    yield JSON.stringify(result);
    return;
  }
  const rest = JSON.stringify(fields.plain);
  yield '{"ok":true,"value":{';
  for (const [index, [key, field]] of fields.raw.entries()) {
    yield `${index ? ',' : ''}${JSON.stringify(key)}:`;
    yield* rawChunks(field);
  }
  yield rest === '{}' ? '}}' : `,${rest.slice(1)}}`;
}

/** `resultChunks` joined: the whole body as one string. */
export function stringifyResult(result: unknown): string {
  return Array.from(resultChunks(result), chunkText).join('');
}

/** Each JsonArrayText among the top-level fields of `result.value` joined into one JsonText (for IPC). */
export function joinJsonTextFields<T>(result: T): T {
  const fields = splitFields(result);
  if (!fields?.raw.some(([, field]) => isJsonArrayText(field))) return result;
  const value = { ...(result as { value: Record<string, unknown> }).value };
  for (const [key, field] of fields.raw) value[key] = jsonText(Array.from(rawChunks(field), chunkText).join(''));
  return { ...result, value } as T;
}

/**
 * Replaces each JsonText or JsonArrayText among the top-level fields of `result.value` with its
 * parsed value. Anything else is returned as it is.
 */
export function parseJsonTextFields<T>(result: T): T {
  const fields = splitFields(result);
  if (!fields) return result;
  const value = { ...(result as { value: Record<string, unknown> }).value };
  for (const [key, field] of fields.raw) value[key] = isJsonText(field) ? (JSON.parse(field.$jsonText) as unknown) : field.$jsonArray.map((element) => JSON.parse(textOf(element)) as unknown);
  return { ...result, value } as T;
}
