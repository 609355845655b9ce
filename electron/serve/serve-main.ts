// `npm run serve`: serve mode on its own, against THETASECURE_ISSUER (or the issuer in the
// settings). Prints the one line with the address and opens the default browser where there is one.
import { stopOnSignals } from '../stop-on-signals.ts';
import { defaultUserDataDir } from '../user-data-dir.ts';
import { openInDefaultBrowser } from './open-default-browser.ts';
import { startServeMode } from './serve-mode.ts';

try {
  const serve = await startServeMode({ userDataDir: defaultUserDataDir() });
  openInDefaultBrowser(serve.url);
  stopOnSignals(() => serve.close());
} catch (error) {
  console.error(`ThetaSecure Admin (serve mode) could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
