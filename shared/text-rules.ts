// Characters that make stored text say something other than what a person sees: control
// characters, bidirectional overrides (which reorder what follows them), lone surrogates (not
// text at all: they break JSON round trips and renderers), and invisible characters (which make
// two names that look alike differ, or a name look empty). One definition for names,
// descriptions and redirect URIs, used by the server before it writes and by the form.

/** C0 and C1 controls and DEL, except line feed (checked separately: a description may keep it). */
function isControl(code: number): boolean {
  return (code <= 0x1f && code !== 0x0a) || (code >= 0x7f && code <= 0x9f);
}
/** Embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI). */
function isBidiControl(code: number): boolean {
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}
/**
 * Characters that render as nothing: zero-width space / non-joiner / joiner, the left-to-right,
 * right-to-left and Arabic letter marks, word joiner and the invisible operators, byte order
 * mark, soft hyphen, combining grapheme joiner, Khmer inherent vowels, Mongolian vowel
 * separator, Hangul fillers, and the tag characters (U+E0000 block). Code points, not a regex
 * class: several of them combine with their neighbour and would make a class misleading.
 */
const INVISIBLE_SINGLES = new Set([0x00ad, 0x034f, 0x061c, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180e, 0x3164, 0xfeff, 0xffa0]);
function isInvisible(code: number): boolean {
  return INVISIBLE_SINGLES.has(code) || (code >= 0x200b && code <= 0x200f) || (code >= 0x2060 && code <= 0x2064) || (code >= 0xe0000 && code <= 0xe007f);
}
const codePoints = (value: string) => Array.from(value, (char) => char.codePointAt(0) ?? 0);

/** A UTF-16 surrogate half without its partner. */
export function hasLoneSurrogate(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
      else return true;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return true;
    }
  }
  return false;
}

export function hasInvisibleCharacter(value: string): boolean {
  return codePoints(value).some(isInvisible);
}

/** What is left of `value` once invisible characters and white space are removed. */
export function visibleText(value: string): string {
  return Array.from(value)
    .filter((char) => !isInvisible(char.codePointAt(0) ?? 0) && !/\s/.test(char))
    .join('');
}

/**
 * Why `value` cannot be stored as the text field `label`, or null. `allowLineFeeds` for
 * multi-line fields (a description); nothing else that is a control character passes.
 */
export function textProblem(value: string, label: string, options: { allowLineFeeds?: boolean } = {}): string | null {
  if (hasLoneSurrogate(value)) return `${label} contains a broken character (a lone UTF-16 surrogate).`;
  const codes = codePoints(value);
  if (codes.some(isControl) || (!options.allowLineFeeds && value.includes('\n'))) {
    return options.allowLineFeeds ? `${label} cannot contain control characters (line breaks are fine).` : `${label} cannot contain control characters or line breaks.`;
  }
  if (codes.some(isBidiControl)) return `${label} cannot contain bidirectional override characters: they change the order in which text is displayed.`;
  return null;
}

/** The rules a URI adds: no invisible characters at all (a name may keep a joiner inside a word). */
export function uriTextProblem(value: string): string | null {
  const problem = textProblem(value, 'A redirect URI');
  if (problem) return problem;
  if (hasInvisibleCharacter(value)) return 'A redirect URI cannot contain invisible characters (zero-width or formatting characters).';
  return null;
}
