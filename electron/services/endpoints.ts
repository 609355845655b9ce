// `server:endpoints`: where the issuer's OAuth endpoints are, read from its discovery document
// (`/.well-known/openid-configuration`), for the details panel's Endpoints and quick starts. The
// document is public (no token); the last one read per issuer is kept, so the panel still shows
// the URLs while the server cannot be reached.
import { z } from 'zod';
import type { Result, ServerEndpoints } from '../../shared/contract.ts';
import { fail, ok } from '../../shared/contract.ts';
import { classifyFailure } from './http-errors.ts';

const httpUrl = z.url({ protocol: /^https?$/ });
const DiscoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: httpUrl,
  token_endpoint: httpUrl,
  jwks_uri: httpUrl,
});

export interface EndpointsService {
  get(): Promise<Result<ServerEndpoints>>;
  /** Forgets what was read (the issuer changed). */
  reset(): void;
}

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

export function createEndpointsService(options: { issuer: () => string; timeoutMs?: number; onReachability?: (reachable: boolean) => void; fetch?: typeof fetch }): EndpointsService {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const cache = new Map<string, Omit<ServerEndpoints, 'source'>>();

  return {
    async get() {
      const issuer = options.issuer();
      if (!issuer) return fail('validation', 'No issuer URL is set.', [{ field: 'issuerUrl', message: 'No issuer URL is set.' }]);
      let body: unknown;
      try {
        const response = await doFetch(discoveryUrl(issuer), { signal: AbortSignal.timeout(timeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
        options.onReachability?.(true);
        if (!response.ok) return fail('server', `The server at ${issuer} answered ${response.status} for its discovery document.`);
        body = await response.json();
      } catch (error) {
        const kind = classifyFailure(error);
        if (kind === 'network' || kind === 'timeout') {
          options.onReachability?.(false);
          const cached = cache.get(issuer);
          if (cached) return ok({ ...cached, source: 'cache' as const });
          return fail(kind === 'timeout' ? 'timeout' : 'offline', `The ThetaSecure server at ${issuer} cannot be reached: its endpoints are shown once it can.`);
        }
        return fail('server', `The server at ${issuer} sent no readable discovery document.`);
      }
      const parsed = DiscoverySchema.safeParse(body);
      if (!parsed.success) return fail('server', `The discovery document of ${issuer} lacks an endpoint URL (${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}).`);
      // As openid-client checks at sign-in: the document must be this issuer's own.
      if (parsed.data.issuer.replace(/\/+$/, '') !== issuer.replace(/\/+$/, '')) return fail('server', `The server at ${issuer} names its issuer ${parsed.data.issuer}.`);
      const endpoints = {
        issuer: parsed.data.issuer,
        authorizationEndpoint: parsed.data.authorization_endpoint,
        tokenEndpoint: parsed.data.token_endpoint,
        jwksUri: parsed.data.jwks_uri,
      };
      cache.set(issuer, endpoints);
      return ok({ ...endpoints, source: 'live' as const });
    },
    reset: () => cache.clear(),
  };
}
