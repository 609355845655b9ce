// How a secret is named on screen: its last four characters behind a mask ("••••abcd"), the
// server's hint with its leading ellipsis replaced.
export function maskedHint(hint: string): string {
  return `••••${hint.replace(/^…/, '')}`;
}
