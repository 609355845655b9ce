// Client labels (issue 11): short lower-case tags such as `team:payments` or `env:prod` that say
// who owns a client and where it runs. Shared by the API's validation, the form and the filter,
// so a rule exists once.
import { z } from 'zod';

export const LABELS_MAX = 20;
export const LABEL_MAX_LENGTH = 64;

/**
 * `key` or `key:value`: lower-case letters, digits and `.`, `_`, `-` (a value may also hold `/`),
 * each part starting with a letter or digit. One colon at most, so `key:value` splits one way.
 */
export const LABEL_PATTERN = /^[a-z0-9][a-z0-9._-]*(?::[a-z0-9][a-z0-9._/-]*)?$/;

/** Why one label cannot be used, or null. */
export function labelProblem(label: string): string | null {
  if (label.length === 0) return 'A label cannot be empty.';
  if (label.length > LABEL_MAX_LENGTH) return `A label can be at most ${LABEL_MAX_LENGTH} characters.`;
  if (label !== label.toLowerCase()) return `Labels are lower case: write "${label.toLowerCase().slice(0, LABEL_MAX_LENGTH)}".`;
  if (!LABEL_PATTERN.test(label)) return `"${label.slice(0, LABEL_MAX_LENGTH)}" is not a label: use key or key:value with letters, digits, ".", "_" or "-" (e.g. team:payments).`;
  return null;
}

/** Problems of a whole list, as [index or null for the list, message]. */
export function labelListProblems(labels: readonly string[]): [number | null, string][] {
  const problems: [number | null, string][] = [];
  if (labels.length > LABELS_MAX) problems.push([null, `At most ${LABELS_MAX} labels.`]);
  const seen = new Set<string>();
  labels.forEach((label, index) => {
    const problem = labelProblem(label);
    if (problem) problems.push([index, problem]);
    else if (seen.has(label)) problems.push([index, `The label "${label}" is listed twice.`]);
    seen.add(label);
  });
  return problems;
}

/** What a user typed into a label field, in the stored form (trimmed, lower case). */
export function normalizeLabel(text: string): string {
  return text.trim().toLowerCase();
}

/** The input shape: a list of text (the rules above run with the other cross-field checks). */
export const labelsInput = z
  .array(z.string({ error: 'Each label must be text.' }), { error: 'Labels must be a list.' })
  .max(LABELS_MAX * 5, { error: `At most ${LABELS_MAX} labels.` });

/** `team:payments` → `team`; `prod` → `prod`. */
export function labelKey(label: string): string {
  const colon = label.indexOf(':');
  return colon === -1 ? label : label.slice(0, colon);
}
