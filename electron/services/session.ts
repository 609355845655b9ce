// Signing in to a ThetaSecure server as a native app (RFC 8252): authorization code with PKCE
// S256, `state` and `nonce`, in the system browser, back through a one-shot loopback listener.
// The refresh token goes to the OS keychain (service "ThetaSecure Admin", account
// "<issuer>|<subject>") so the next start signs in silently; the access token stays in this
// process's memory and is refreshed before it expires and once after a 401. Without a keychain
// everything works for this run only, and the session says so (`remembered: false`).
import * as oidc from 'openid-client';
import type { Me } from '../../shared/client.ts';
import type { Result, Session } from '../../shared/contract.ts';
import { fail, ok } from '../../shared/contract.ts';
import type { Clock, LogEffect } from './effects.ts';
import { errorMessage, silentLog } from './effects.ts';
import { classifyFailure, oauthErrorCode } from './http-errors.ts';
import type { Keychain } from './keychain.ts';
import { KEYCHAIN_SERVICE } from './keychain.ts';
import type { BrowserLaunches } from './browser-launches.ts';
import { discoveredEndpointProblem } from './browser-launches.ts';
import { endServerSession } from './end-session.ts';
import { SIGN_IN_TIMEOUT_MS, startLoopbackCallback } from './loopback-callback.ts';
import type { LoopbackCallback } from './loopback-callback.ts';

export const ADMIN_CONSOLE_CLIENT_ID = 'thetasecure-admin-console';
export const SIGN_IN_SCOPES = ['openid', 'profile', 'offline_access', 'clients:read', 'clients:write'];
/** The admin API as a resource (RFC 8707): its access tokens are JWTs for this audience. */
export const apiResource = (issuer: string) => `${issuer}/api`;

/** Keychain account of a refresh token. */
export const refreshTokenAccount = (issuer: string, subject: string) => `${issuer}|${subject}`;
/** Keychain account naming whose refresh token to use at the next start for this issuer. */
export const lastSessionAccount = (issuer: string) => `last-session|${issuer}`;

type SessionUser = NonNullable<Session['user']>;

export interface SessionService {
  get(): Session;
  /** `forceLogin`: the server's login page even if its browser session is alive ("Sign in as a different user"). */
  signIn(options?: { forceLogin?: boolean }): Promise<Result<Session>>;
  cancelSignIn(): void;
  signOut(): Promise<Result<Session>>;
  /** Silent sign-in of the session remembered for the current issuer. */
  restore(): Promise<'signed-in' | 'offline' | 'none'>;
  /** After the server came back: finishes a session restored while offline. */
  resume(): Promise<void>;
  /** For the API client: a fresh access token, or why there is none. */
  accessToken(): Promise<Result<string>>;
  refreshAfterUnauthorized(): Promise<boolean>;
  /** Drops the in-memory session (the issuer changed); the keychain entry stays for later. */
  forget(): void;
  /** The signed-in identity, for per-user data such as the offline cache. */
  identity(): { issuer: string; user: SessionUser; canWrite: boolean } | null;
  /** True while restored from the keychain but the server has not confirmed it yet. */
  waitingForServer(): boolean;
  setKeychainAvailable(available: boolean): void;
  dispose(): void;
}

export interface SessionServiceOptions {
  keychain: Keychain;
  openBrowser: (url: string) => Promise<void>;
  /** Each URL handed to openBrowser is permitted here first: the host's opener opens nothing else. */
  browserLaunches: BrowserLaunches;
  clock: Clock;
  issuer: () => string;
  /** GET /api/v1/me with this access token. */
  loadUser: (accessToken: string) => Promise<Result<Me>>;
  onChange: (session: Session) => void;
  onReachability?: (reachable: boolean) => void;
  log?: LogEffect;
  clientId?: string;
  signInTimeoutMs?: number;
  /** Seconds for each request to the authorization server. */
  requestTimeoutSeconds?: number;
}

interface Tokens {
  accessToken: string | null;
  expiresAt: number;
  lifetimeMs: number;
  refreshToken: string | null;
  /** For id_token_hint at sign-out. Memory only: never in the keychain, a log or the replica. */
  idToken: string | null;
}

interface SignedIn {
  issuer: string;
  user: SessionUser;
  canWrite: boolean;
  remembered: boolean;
}

const RememberedSchema = {
  parse(text: string): { subject: string; name: string; roles: string[]; canWrite: boolean } | null {
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      if (typeof value.subject !== 'string' || !value.subject) return null;
      return {
        subject: value.subject,
        name: typeof value.name === 'string' ? value.name : value.subject,
        roles: Array.isArray(value.roles) ? value.roles.filter((r): r is string => typeof r === 'string') : [],
        canWrite: value.canWrite === true,
      };
    } catch {
      return null;
    }
  },
};

type RefreshOutcome = 'ok' | 'offline' | 'rejected' | 'none';

/** Why discovery at `issuer` failed, in words that say what to fix. */
function discoveryProblem(issuer: string, error: unknown): string {
  const cause = (error as { cause?: { attribute?: unknown; body?: { issuer?: unknown } } }).cause;
  if (error instanceof oidc.ClientError && error.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' && cause?.attribute === 'issuer') {
    const named = typeof cause.body?.issuer === 'string' ? cause.body.issuer : 'a different URL';
    return `The server at ${issuer} names its issuer ${named}. Set the issuer URL to exactly that.`;
  }
  if (error instanceof oidc.ClientError && error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') {
    return `${issuer} is not an OpenID Connect issuer (no /.well-known/openid-configuration there). Check the issuer URL.`;
  }
  return `${issuer} did not answer as an OpenID Connect server: ${errorMessage(error)}`;
}

export function createSessionService(options: SessionServiceOptions): SessionService {
  const { keychain, clock } = options;
  const log = options.log ?? silentLog;
  const clientId = options.clientId ?? ADMIN_CONSOLE_CLIENT_ID;
  const configs = new Map<string, oidc.Configuration>();

  let status: Session['status'] = 'signed-out';
  let current: SignedIn | null = null;
  let tokens: Tokens = { accessToken: null, expiresAt: 0, lifetimeMs: 0, refreshToken: null, idToken: null };
  let keychainAvailable = true;
  let waitingForServer = false;
  let pendingSignIn: LoopbackCallback | null = null;
  let signInAttempt = 0;
  let refreshing: Promise<RefreshOutcome> | null = null;
  let refreshTimer: unknown = null;
  // After a sign-out the next sign-in asks for the password even if the browser did not finish
  // the end-session page (closed tab, server away): the server session is not trusted to be gone.
  let forceLoginNext = false;

  const snapshot = (): Session => ({
    status,
    issuer: current?.issuer ?? options.issuer(),
    user: current?.user ?? null,
    canWrite: status === 'signed-in' && (current?.canWrite ?? false),
    remembered: status === 'signed-in' && (current?.remembered ?? false),
    keychainAvailable,
  });
  const changed = () => options.onChange(snapshot());

  // Within ten seconds of expiry (or a fifth of a short lifetime) a token is not handed out.
  const expiresSoon = () => tokens.expiresAt - clock.now() <= Math.min(10_000, tokens.lifetimeMs / 5);

  const clearRefreshTimer = () => {
    if (refreshTimer !== null) clock.clearTimeout(refreshTimer);
    refreshTimer = null;
  };

  const dropInMemory = () => {
    clearRefreshTimer();
    current = null;
    tokens = { accessToken: null, expiresAt: 0, lifetimeMs: 0, refreshToken: null, idToken: null };
    waitingForServer = false;
    status = 'signed-out';
  };

  // The UI shows whether the keychain answers, so every change of that is announced.
  function setKeychainAvailable(available: boolean) {
    if (keychainAvailable === available) return;
    keychainAvailable = available;
    changed();
  }

  async function keychainCall<T>(run: () => Promise<T>): Promise<T | undefined> {
    try {
      const value = await run();
      setKeychainAvailable(true);
      return value;
    } catch (error) {
      if (keychainAvailable) log({ level: 'warn', event: 'keychain.unavailable', message: 'The OS keychain is not available: the sign-in will not be remembered.', reason: errorMessage(error) });
      setKeychainAvailable(false);
      return undefined;
    }
  }

  async function configuration(issuer: string): Promise<oidc.Configuration> {
    const cached = configs.get(issuer);
    if (cached) return cached;
    const url = new URL(issuer);
    const config = await oidc.discovery(url, clientId, undefined, oidc.None(), {
      // Plain http is only ever accepted for loopback issuers (settings enforce it).
      execute: url.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      timeout: options.requestTimeoutSeconds ?? 15,
    });
    configs.set(issuer, config);
    return config;
  }

  function reachabilityOf(error: unknown): 'unreachable' | 'answered' {
    const kind = classifyFailure(error);
    if (kind === 'network' || kind === 'timeout') {
      options.onReachability?.(false);
      return 'unreachable';
    }
    return 'answered';
  }

  function acceptTokens(response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers) {
    const expiresIn = response.expiresIn() ?? 300;
    tokens = {
      accessToken: response.access_token,
      expiresAt: clock.now() + expiresIn * 1000,
      lifetimeMs: expiresIn * 1000,
      refreshToken: response.refresh_token ?? tokens.refreshToken,
      // A refresh answers with a new ID token too (scope openid), so a session restored from the
      // keychain has one for sign-out without the ID token ever being stored.
      idToken: response.id_token ?? tokens.idToken,
    };
    scheduleRefresh(expiresIn * 1000);
  }

  function scheduleRefresh(lifetimeMs: number) {
    clearRefreshTimer();
    if (!tokens.refreshToken) return;
    // Refresh ahead of expiry: a minute early, or a fifth of the lifetime for short-lived tokens.
    const lead = Math.min(60_000, lifetimeMs / 5);
    refreshTimer = clock.setTimeout(() => {
      refreshTimer = null;
      return refresh('before expiry');
    }, Math.max(1_000, lifetimeMs - lead));
  }

  async function remember(issuer: string, user: SessionUser, canWrite: boolean, refreshToken: string | undefined): Promise<boolean> {
    if (!refreshToken) {
      log({ level: 'warn', event: 'sign-in.no-refresh-token', message: 'The server issued no refresh token: this sign-in cannot be remembered.' });
      return false;
    }
    const stored = await keychainCall(async () => {
      await keychain.setPassword(KEYCHAIN_SERVICE, refreshTokenAccount(issuer, user.subject), refreshToken);
      await keychain.setPassword(KEYCHAIN_SERVICE, lastSessionAccount(issuer), JSON.stringify({ subject: user.subject, name: user.name, roles: user.roles, canWrite }));
      return true;
    });
    return stored === true;
  }

  async function forgetInKeychain(issuer: string, subject: string) {
    await keychainCall(async () => {
      await keychain.deletePassword(KEYCHAIN_SERVICE, refreshTokenAccount(issuer, subject));
      const pointer = await keychain.getPassword(KEYCHAIN_SERVICE, lastSessionAccount(issuer));
      if (pointer && RememberedSchema.parse(pointer)?.subject === subject) await keychain.deletePassword(KEYCHAIN_SERVICE, lastSessionAccount(issuer));
    });
  }

  /** One refresh at a time: the server rotates refresh tokens, and a reused one ends the grant. */
  function refresh(reason: string): Promise<RefreshOutcome> {
    refreshing ??= runRefresh(reason).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function runRefresh(reason: string): Promise<RefreshOutcome> {
    const session = current;
    const refreshToken = tokens.refreshToken;
    if (!session || !refreshToken) return 'none';
    try {
      const config = await configuration(session.issuer);
      const response = await oidc.refreshTokenGrant(config, refreshToken, { resource: apiResource(session.issuer) });
      if (current !== session) return 'none'; // signed out meanwhile
      options.onReachability?.(true);
      acceptTokens(response);
      if (response.refresh_token && response.refresh_token !== refreshToken && session.remembered) {
        // setPassword resolves to nothing: `true` marks success (undefined means the keychain failed).
        const saved = await keychainCall(async () => {
          await keychain.setPassword(KEYCHAIN_SERVICE, refreshTokenAccount(session.issuer, session.user.subject), response.refresh_token as string);
          return true;
        });
        if (saved === undefined) session.remembered = false;
      }
      log({ level: 'info', event: 'session.refreshed', reason });
      return 'ok';
    } catch (error) {
      if (reachabilityOf(error) === 'unreachable') {
        log({ level: 'info', event: 'session.refresh-deferred', reason, message: 'The server cannot be reached; the session resumes when it is back.' });
        return 'offline';
      }
      if (current !== session) return 'none';
      const code = oauthErrorCode(error);
      log({ level: 'warn', event: 'session.refresh-rejected', reason, error: code ?? errorMessage(error) });
      if (code === 'invalid_grant' || code === 'invalid_client' || code === 'unauthorized_client') {
        await forgetInKeychain(session.issuer, session.user.subject);
        dropInMemory();
        changed();
        return 'rejected';
      }
      return 'offline';
    }
  }

  async function loadUser(accessToken: string, subject: string): Promise<Result<{ user: SessionUser; canWrite: boolean }>> {
    const me = await options.loadUser(accessToken);
    if (!me.ok) return me;
    if (me.value.subject !== subject) return fail('server', 'The server described a different user than the one who signed in.');
    return ok({ user: { subject: me.value.subject, name: me.value.name, roles: me.value.roles }, canWrite: me.value.scopes.includes('clients:write') });
  }

  async function signIn(signInOptions: { forceLogin?: boolean } = {}): Promise<Result<Session>> {
    const issuer = options.issuer();
    if (!issuer) return fail('validation', 'Set the issuer URL of your ThetaSecure server first.', [{ field: 'issuer', message: 'Enter the issuer URL.' }]);
    pendingSignIn?.cancel('Sign-in was started again.');
    const attempt = ++signInAttempt;
    const previous = current;
    const previousStatus = status;
    status = 'signing-in';
    changed();
    const restore = () => {
      if (attempt !== signInAttempt) return;
      status = previous ? previousStatus : 'signed-out';
      changed();
    };

    let config: oidc.Configuration;
    try {
      // Discover afresh at each sign-in: it costs one request, and a cached discovery would
      // send the user to a browser (and a 5-minute wait) while the server is down.
      configs.delete(issuer);
      config = await configuration(issuer);
    } catch (error) {
      restore();
      if (reachabilityOf(error) === 'unreachable') return fail('offline', `The ThetaSecure server at ${issuer} cannot be reached.`);
      return fail('server', discoveryProblem(issuer, error));
    }

    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    let callback: LoopbackCallback;
    try {
      callback = await startLoopbackCallback({ expectedState: state, clock, timeoutMs: options.signInTimeoutMs ?? SIGN_IN_TIMEOUT_MS, log });
    } catch (error) {
      restore();
      return fail('internal', `Could not listen on 127.0.0.1 for the sign-in to come back: ${errorMessage(error)}`);
    }
    pendingSignIn = callback;
    try {
      const endpointProblem = discoveredEndpointProblem(config.serverMetadata().authorization_endpoint, issuer, 'authorization endpoint');
      if (endpointProblem) {
        restore();
        log({ level: 'warn', event: 'sign-in.endpoint-refused', message: endpointProblem });
        return fail('server', endpointProblem);
      }
      const forceLogin = signInOptions.forceLogin === true || forceLoginNext;
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: callback.redirectUri,
        scope: SIGN_IN_SCOPES.join(' '),
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        resource: apiResource(issuer),
        // OpenID Connect grants offline_access (the refresh token) only with prompt=consent;
        // `login` makes the server ask for the password even if its browser session is alive.
        prompt: forceLogin ? 'login consent' : 'consent',
      });
      // The one URL this sign-in may open: the host's opener refuses any other.
      options.browserLaunches.permit(url.href);
      // Not awaited: an opener may resolve only when its browser is done (a test's scripted
      // login waits for the callback page, which this listener holds until the tokens are in).
      let openError: unknown = null;
      options.openBrowser(url.href).catch((error: unknown) => {
        openError = error;
        callback.cancel();
      });
      log({ level: 'info', event: 'sign-in.browser-opened', redirectUri: callback.redirectUri, forceLogin });

      const arrived = await callback.arrival;
      if (!arrived.ok) {
        restore();
        if (openError !== null) return fail('internal', `The browser could not be opened for sign-in: ${errorMessage(openError)}`);
        log({ level: 'info', event: 'sign-in.ended', outcome: arrived.error.code });
        return arrived;
      }
      const { url: callbackUrl, finish } = arrived.value;

      let response: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        response = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true }, { resource: apiResource(issuer) });
      } catch (error) {
        const denied = error instanceof oidc.AuthorizationResponseError ? error.error : undefined;
        const reason = denied === 'access_denied' ? 'Sign-in was cancelled in the browser.' : `The server did not complete the sign-in (${denied ?? oauthErrorCode(error) ?? errorMessage(error)}).`;
        finish({ signedIn: false, reason });
        restore();
        log({ level: 'warn', event: 'sign-in.failed', error: denied ?? oauthErrorCode(error) ?? errorMessage(error) });
        if (denied === 'access_denied') return fail('cancelled', reason);
        return reachabilityOf(error) === 'unreachable' ? fail('offline', 'The server went away during sign-in.') : fail('unauthenticated', reason);
      }

      const subject = response.claims()?.sub;
      if (!subject) {
        finish({ signedIn: false, reason: 'The server did not say who signed in.' });
        restore();
        return fail('server', 'The server did not say who signed in (no ID token subject).');
      }
      const profile = await loadUser(response.access_token, subject);
      if (!profile.ok) {
        finish({ signedIn: false, reason: profile.error.message });
        restore();
        return profile;
      }
      if (attempt !== signInAttempt) {
        finish({ signedIn: false, reason: 'A newer sign-in replaced this one.' });
        return fail('cancelled', 'A newer sign-in replaced this one.');
      }

      // Another user was signed in to this issuer: their remembered session ends here.
      if (previous && (previous.issuer !== issuer || previous.user.subject !== subject)) {
        await revokeQuietly(previous.issuer, tokens.refreshToken);
        await forgetInKeychain(previous.issuer, previous.user.subject);
      }
      dropInMemory();
      const { user, canWrite } = profile.value;
      current = { issuer, user, canWrite, remembered: false };
      acceptTokens(response);
      current.remembered = await remember(issuer, user, canWrite, response.refresh_token);
      status = 'signed-in';
      forceLoginNext = false;
      options.onReachability?.(true);
      finish({ signedIn: true });
      log({ level: 'info', event: 'sign-in.completed', remembered: current.remembered });
      changed();
      return ok(snapshot());
    } finally {
      if (pendingSignIn === callback) pendingSignIn = null;
      callback.close();
    }
  }

  /** RP-initiated logout in the system browser (end-session.ts); skipped when the server is away. */
  async function endBrowserSession(issuer: string, idToken: string | null): Promise<void> {
    let config: oidc.Configuration;
    try {
      config = await configuration(issuer);
    } catch (error) {
      reachabilityOf(error);
      log({ level: 'warn', event: 'sign-out.end-session-skipped', message: 'The server cannot be reached: its browser session was not ended. The next sign-in asks for the password.', reason: classifyFailure(error) });
      return;
    }
    await endServerSession({ config, issuer, idToken, openBrowser: options.openBrowser, browserLaunches: options.browserLaunches, log });
  }

  async function revokeQuietly(issuer: string, refreshToken: string | null): Promise<boolean> {
    if (!refreshToken) return true;
    try {
      const config = await configuration(issuer);
      await oidc.tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' });
      return true;
    } catch (error) {
      reachabilityOf(error);
      log({ level: 'warn', event: 'sign-out.revoke-failed', message: 'The refresh token could not be revoked at the server; it was deleted here.', reason: classifyFailure(error) });
      return false;
    }
  }

  return {
    get: snapshot,
    signIn,
    cancelSignIn() {
      pendingSignIn?.cancel();
    },

    async signOut() {
      pendingSignIn?.cancel('Signed out.');
      const session = current;
      const { refreshToken, idToken } = tokens;
      dropInMemory();
      if (session) {
        forceLoginNext = true;
        await revokeQuietly(session.issuer, refreshToken);
        await forgetInKeychain(session.issuer, session.user.subject);
        await endBrowserSession(session.issuer, idToken);
        log({ level: 'info', event: 'sign-out.completed' });
      }
      changed();
      return ok(snapshot());
    },

    async restore() {
      const issuer = options.issuer();
      if (!issuer || current) return current ? 'signed-in' : 'none';
      const wasAvailable = keychainAvailable;
      const pointerText = await keychainCall(() => keychain.getPassword(KEYCHAIN_SERVICE, lastSessionAccount(issuer)));
      if (!keychainAvailable) {
        if (wasAvailable) changed();
        return 'none';
      }
      const pointer = pointerText ? RememberedSchema.parse(pointerText) : null;
      if (!pointer) return 'none';
      const refreshToken = await keychainCall(() => keychain.getPassword(KEYCHAIN_SERVICE, refreshTokenAccount(issuer, pointer.subject)));
      if (!refreshToken) {
        await keychainCall(() => keychain.deletePassword(KEYCHAIN_SERVICE, lastSessionAccount(issuer)));
        return 'none';
      }
      current = { issuer, user: { subject: pointer.subject, name: pointer.name, roles: pointer.roles }, canWrite: pointer.canWrite, remembered: true };
      tokens = { accessToken: null, expiresAt: 0, lifetimeMs: 0, refreshToken, idToken: null };
      waitingForServer = true;
      status = 'signing-in';
      changed();
      const outcome = await refresh('silent sign-in');
      if (outcome === 'rejected' || outcome === 'none') return 'none';
      status = 'signed-in';
      if (outcome === 'offline') {
        changed();
        return 'offline';
      }
      await confirmWithServer();
      return 'signed-in';
    },

    async resume() {
      if (!current || status !== 'signed-in') return;
      if (!waitingForServer && tokens.accessToken && !expiresSoon()) return;
      const outcome = await refresh('server is back');
      if (outcome === 'ok' && waitingForServer) await confirmWithServer();
    },

    async accessToken() {
      if (!current || status === 'signed-out') return fail('unauthenticated', 'You are not signed in.');
      if (tokens.accessToken && !expiresSoon()) return ok(tokens.accessToken);
      const outcome = await refresh('token expired');
      if (outcome === 'ok' && tokens.accessToken) return ok(tokens.accessToken);
      if (outcome === 'offline') return fail('offline', 'The ThetaSecure server cannot be reached.');
      return fail('unauthenticated', 'Your session has ended. Sign in again.');
    },

    async refreshAfterUnauthorized() {
      if (!current || !tokens.refreshToken) return false;
      tokens.accessToken = null;
      return (await refresh('401 from the API')) === 'ok';
    },

    forget() {
      pendingSignIn?.cancel('The issuer changed.');
      if (!current) return;
      dropInMemory();
      changed();
    },

    identity: () => (current && status === 'signed-in' ? { issuer: current.issuer, user: current.user, canWrite: current.canWrite } : null),
    waitingForServer: () => waitingForServer,
    setKeychainAvailable,

    dispose() {
      pendingSignIn?.cancel('The app is closing.');
      clearRefreshTimer();
    },
  };

  /** The name and roles the server has now (a role may have changed since the last start). */
  async function confirmWithServer(): Promise<void> {
    const session = current;
    if (!session || !tokens.accessToken) return;
    const profile = await loadUser(tokens.accessToken, session.user.subject);
    if (current !== session) return;
    if (profile.ok) {
      session.user = profile.value.user;
      session.canWrite = profile.value.canWrite;
      waitingForServer = false;
      if (session.remembered) await remember(session.issuer, session.user, session.canWrite, tokens.refreshToken ?? undefined);
    } else if (profile.error.code === 'unauthenticated') {
      await forgetInKeychain(session.issuer, session.user.subject);
      dropInMemory();
    }
    changed();
  }
}
