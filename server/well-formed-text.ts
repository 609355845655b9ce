// JSON text may carry an unpaired surrogate (`"\ud800"`): it parses into a JavaScript string, but
// UTF-8 cannot hold it, so SQLite would store U+FFFD instead and the client would read back
// something other than what was accepted. The generated-input suite found it (issue 9). Such
// bodies are refused at the door, naming each field. Iterative, so a 5,000-level body is no risk.
import { fieldPath } from '../shared/client.ts';
import type { FieldError } from '../shared/client.ts';
import { hasLoneSurrogate } from '../shared/text-rules.ts';

const wellFormed = (text: string) => !hasLoneSurrogate(text);

interface Node {
  value: unknown;
  key: PropertyKey | null;
  parent: Node | null;
}

function pathOf(node: Node): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let at: Node | null = node; at && at.key !== null; at = at.parent) path.push(at.key);
  return path.reverse();
}

/** Fields of `value` whose text (or key) is not well-formed Unicode; at most `limit` of them. */
export function malformedTextFields(value: unknown, limit = 20): FieldError[] {
  const errors: FieldError[] = [];
  const stack: Node[] = [{ value, key: null, parent: null }];
  while (stack.length && errors.length < limit) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      if (!wellFormed(node.value)) errors.push({ field: fieldPath(pathOf(node)) || 'body', message: 'The text contains an unpaired surrogate (invalid Unicode).' });
    } else if (Array.isArray(node.value)) {
      for (let index = node.value.length - 1; index >= 0; index -= 1) stack.push({ value: node.value[index], key: index, parent: node });
    } else if (node.value && typeof node.value === 'object') {
      for (const [key, item] of Object.entries(node.value).reverse()) {
        const child: Node = { value: item, key, parent: node };
        if (!wellFormed(key)) errors.push({ field: fieldPath(pathOf(child)), message: 'The field name contains an unpaired surrogate (invalid Unicode).' });
        stack.push(child);
      }
    }
  }
  return errors;
}
