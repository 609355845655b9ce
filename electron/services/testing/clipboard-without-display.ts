// A stand-in for the system clipboard of a machine without a display server: it throws what
// clipboardy throws on Linux there, so tests can check that this text never reaches a user.
import type { ClipboardEffect } from '../effects.ts';

export const CLIPBOARDY_NO_DISPLAY_TEXT =
  "Clipboard access requires a display server (X11 or Wayland). This doesn't work in headless environments like CI servers, Docker containers, or SSH sessions without X11 forwarding.";

export const clipboardWithoutDisplay: ClipboardEffect = {
  readText: async () => {
    throw new Error(CLIPBOARDY_NO_DISPLAY_TEXT);
  },
  writeText: async () => {
    throw new Error(CLIPBOARDY_NO_DISPLAY_TEXT);
  },
};
