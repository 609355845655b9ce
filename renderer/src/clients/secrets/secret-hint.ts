// How a secret is named on screen: its last four characters (the server's hint; older servers
// put an ellipsis before them), behind a mask ("••••abcd") or in words ("ending abcd").
export function hintText(hint: string): string {
  return hint.replace(/^…/, '');
}

export function maskedHint(hint: string): string {
  return `••••${hintText(hint)}`;
}
