// Ctrl-C / SIGTERM for the command-line entry points: stop what was started, once. Ctrl-C in a
// terminal reaches every process of the group and `npx tsx` relays it too, so a repeat within a
// moment is the same request; a repeat after that forces the exit.
const REPEAT_GRACE_MS = 2_000;

export function stopOnSignals(stop: () => Promise<void>): void {
  let stoppingSince: number | null = null;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stoppingSince !== null) {
        if (Date.now() - stoppingSince > REPEAT_GRACE_MS) process.exit(1);
        return;
      }
      stoppingSince = Date.now();
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`Stopping failed: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    });
  }
}
