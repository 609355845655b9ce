// Sign-out at the server (OpenID Connect RP-Initiated Logout 1.0): revoking the refresh token
// ends the app's grant, but the server's browser session would still sign the next user in
// without a password. So sign-out also opens the issuer's end_session_endpoint in the system
// browser, with the ID token of this session as id_token_hint: the server then ends its session
// without asking (server/logout-pages.ts) and shows "Signed out of ThetaSecure — you can close
// this tab". The ID token is not a credential for the admin API (its audience is this app's
// client ID) and the server logs paths without query strings; it is never logged here.
import * as oidc from 'openid-client';
import type { BrowserLaunches } from './browser-launches.ts';
import { discoveredEndpointProblem } from './browser-launches.ts';
import type { LogEffect } from './effects.ts';
import { errorMessage } from './effects.ts';

export type EndSessionOutcome = 'opened' | 'not-offered' | 'refused' | 'failed';

export interface EndSessionOptions {
  config: oidc.Configuration;
  issuer: string;
  /** The ID token of the session being ended; without one the server asks the user to confirm. */
  idToken: string | null;
  openBrowser: (url: string) => Promise<void>;
  browserLaunches: BrowserLaunches;
  log: LogEffect;
}

/** Opens the end-session page; never throws (sign-out goes on whatever the browser does). */
export async function endServerSession(options: EndSessionOptions): Promise<EndSessionOutcome> {
  const { config, issuer, log } = options;
  const endpoint = config.serverMetadata().end_session_endpoint;
  if (!endpoint) {
    log({ level: 'warn', event: 'sign-out.end-session-not-offered', message: 'The server offers no end-session endpoint: its browser session may still be signed in.' });
    return 'not-offered';
  }
  const problem = discoveredEndpointProblem(endpoint, issuer, 'end-session endpoint');
  if (problem) {
    log({ level: 'warn', event: 'sign-out.end-session-refused', message: problem });
    return 'refused';
  }
  const url = oidc.buildEndSessionUrl(config, options.idToken ? { id_token_hint: options.idToken } : {}).href;
  options.browserLaunches.permit(url);
  try {
    await options.openBrowser(url);
    log({ level: 'info', event: 'sign-out.end-session-opened', withIdTokenHint: options.idToken !== null });
    return 'opened';
  } catch (error) {
    log({ level: 'warn', event: 'sign-out.end-session-failed', message: 'The sign-out page could not be opened in the browser.', reason: errorMessage(error) });
    return 'failed';
  }
}
