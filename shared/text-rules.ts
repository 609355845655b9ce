// Characters that make stored text say something other than what a person sees: control
// characters, bidirectional overrides (which reorder what follows them), lone surrogates (not
// text at all: they break JSON round trips and renderers), and invisible characters (which make
// two names that look alike differ, or a name look empty). One definition for names,
// descriptions and redirect URIs, used by the server before it writes and by the form.

/** C0 and C1 controls and DEL. Line feed is checked separately: a description may keep it. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;
const LINE_FEED = /\n/;
/** Embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/u;
/**
 * Characters that render as nothing: zero-width space / non-joiner / joiner, word joiner and the
 * invisible operators, byte order mark, soft hyphen, combining grapheme joiner, Mongolian vowel
 * separator, Hangul fillers, the left-to-right / right-to-left / Arabic letter marks, and the
 * tag characters (U+E0000 block).
 */
const INVISIBLE = /[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0\u{e0000}-\u{e007f}]/u;
const INVISIBLE_GLOBAL = new RegExp(`${INVISIBLE.source}|\\s`, 'gu');

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
  return INVISIBLE.test(value);
}

/** What is left of `value` once invisible characters and white space are removed. */
export function visibleText(value: string): string {
  return value.replace(INVISIBLE_GLOBAL, '');
}

/**
 * Why `value` cannot be stored as the text field `label`, or null. `allowLineFeeds` for
 * multi-line fields (a description); nothing else that is a control character passes.
 */
export function textProblem(value: string, label: string, options: { allowLineFeeds?: boolean } = {}): string | null {
  if (hasLoneSurrogate(value)) return `${label} contains a broken character (a lone UTF-16 surrogate).`;
  if (CONTROL.test(value) || (!options.allowLineFeeds && LINE_FEED.test(value))) {
    return options.allowLineFeeds ? `${label} cannot contain control characters (line breaks are fine).` : `${label} cannot contain control characters or line breaks.`;
  }
  if (BIDI_CONTROL.test(value)) return `${label} cannot contain bidirectional override characters: they change the order in which text is displayed.`;
  return null;
}

/** The rules a URI adds: no invisible characters at all (a name may keep a joiner inside a word). */
export function uriTextProblem(value: string): string | null {
  const problem = textProblem(value, 'A redirect URI');
  if (problem) return problem;
  if (hasInvisibleCharacter(value)) return 'A redirect URI cannot contain invisible characters (zero-width or formatting characters).';
  return null;
}
