import { describe, expect, it } from 'vitest';
import { EXAMPLE_REDIRECT_URI, jsString, quickStarts, shellWord } from './quick-starts.ts';

const endpoints = { issuer: 'https://id.example.com', tokenEndpoint: 'https://id.example.com/token' };
const base = { clientId: 'tsc_Ab3-x_9', grantTypes: [] as Array<'client_credentials' | 'authorization_code'>, scopes: ['directory:read', 'directory:write'], redirectUris: [] as string[], tokenEndpointAuthMethod: 'client_secret_basic' as const };

describe('quick starts', () => {
  it('one per grant type the client has: curl for Client Credentials, openid-client for Authorization Code', () => {
    expect(quickStarts({ ...base, grantTypes: ['client_credentials'] }, endpoints).map((q) => q.id)).toEqual(['client-credentials-curl']);
    expect(quickStarts({ ...base, grantTypes: ['authorization_code'] }, endpoints).map((q) => q.id)).toEqual(['authorization-code-openid-client']);
    expect(quickStarts({ ...base, grantTypes: ['client_credentials', 'authorization_code'] }, endpoints)).toHaveLength(2);
    expect(quickStarts({ ...base, grantTypes: [] }, endpoints)).toEqual([]);
  });

  it('curl with HTTP Basic: the client ID filled in, the secret only as $CLIENT_SECRET, the scopes and the token URL', () => {
    const [curl] = quickStarts({ ...base, grantTypes: ['client_credentials'] }, endpoints);
    expect(curl!.code).toBe(
      ['curl -sS -X POST', '-u tsc_Ab3-x_9:"$CLIENT_SECRET"', '-d grant_type=client_credentials', "-d 'scope=directory:read directory:write'", 'https://id.example.com/token'].join(' \\\n  '),
    );
    expect(curl!.note).toMatch(/CLIENT_SECRET/);
  });

  it('curl with the secret in the body for client_secret_post, and a signed assertion for private_key_jwt', () => {
    const [post] = quickStarts({ ...base, grantTypes: ['client_credentials'], tokenEndpointAuthMethod: 'client_secret_post' }, endpoints);
    expect(post!.code).toContain('--data-urlencode client_id=tsc_Ab3-x_9');
    expect(post!.code).toContain('--data-urlencode "client_secret=$CLIENT_SECRET"');
    expect(post!.code).not.toContain(' -u ');
    const [jwt] = quickStarts({ ...base, grantTypes: ['client_credentials'], tokenEndpointAuthMethod: 'private_key_jwt' }, endpoints);
    expect(jwt!.code).toContain('client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(jwt!.code).not.toContain('CLIENT_SECRET');
    expect(jwt!.note).toMatch(/private key/);
  });

  it('openid-client with PKCE: issuer, client ID and first redirect URI filled in; the secret from the environment', () => {
    const [code] = quickStarts({ ...base, grantTypes: ['authorization_code'], redirectUris: ['https://app.acme.test/cb', 'https://other.test/cb'], scopes: ['openid', 'profile'] }, endpoints);
    expect(code!.language).toBe('javascript');
    expect(code!.code).toContain("client.discovery(new URL('https://id.example.com'), 'tsc_Ab3-x_9', undefined, client.ClientSecretBasic(process.env.CLIENT_SECRET));");
    expect(code!.code).toContain("redirect_uri: 'https://app.acme.test/cb',");
    expect(code!.code).toContain("scope: 'openid profile',");
    expect(code!.code).toContain("code_challenge_method: 'S256'");
    expect(code!.code).toContain('pkceCodeVerifier: codeVerifier');
    expect(code!.code).not.toContain('allowInsecureRequests');
  });

  it('a public client uses None(), a loopback http issuer allows plain http, and without a redirect URI an example stands in', () => {
    const [code] = quickStarts({ ...base, grantTypes: ['authorization_code'], tokenEndpointAuthMethod: 'none' }, { issuer: 'http://127.0.0.1:4000', tokenEndpoint: 'http://127.0.0.1:4000/token' });
    expect(code!.code).toContain('client.None(), {\n  execute: [client.allowInsecureRequests],\n});');
    expect(code!.code).toContain(`redirect_uri: '${EXAMPLE_REDIRECT_URI}'`);
    expect(code!.code).not.toContain('CLIENT_SECRET');
  });

  it('never holds anything but the placeholder where the secret goes', () => {
    for (const method of ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const) {
      for (const start of quickStarts({ ...base, grantTypes: ['client_credentials', 'authorization_code'], tokenEndpointAuthMethod: method }, endpoints)) {
        expect(start.code).not.toMatch(/client_secret=[^$]/);
        expect(start.code).not.toMatch(/ClientSecret(Basic|Post)\((?!process\.env\.CLIENT_SECRET\))/);
      }
    }
  });

  it('quotes for the shell and for JavaScript', () => {
    expect(shellWord('https://id.example.com/token')).toBe('https://id.example.com/token');
    expect(shellWord("it's here")).toBe(`'it'\\''s here'`);
    expect(jsString("a'b\\c")).toBe("'a\\'b\\\\c'");
  });
});
