import { describe, expect, it } from 'vitest';
import { authInput, DEFAULT_AUTH } from './client-auth-model.ts';
import { createInput, emptyForm, fieldErrorsFrom, validateForm } from './client-form-model.ts';
import type { ClientFormValues } from './client-form-model.ts';

const ED25519 = { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' };
const catalog = ['openid', 'profile', 'directory:read'];

function form(overrides: Partial<ClientFormValues>): ClientFormValues {
  return { ...emptyForm(), name: 'App', grantTypes: ['authorization_code'], redirectUris: ['https://app.example.com/cb'], scopes: ['openid'], ...overrides };
}

describe('Client authentication in the Custom Client form', () => {
  it('defaults to a client secret sent with HTTP Basic', () => {
    expect(DEFAULT_AUTH.tokenEndpointAuthMethod).toBe('client_secret_basic');
    expect(createInput(form({}), 'custom')).toMatchObject({ tokenEndpointAuthMethod: 'client_secret_basic' });
    expect(createInput(form({}), 'custom')).not.toHaveProperty('jwksUri');
  });

  it('a public client needs Authorization Code and cannot use Client Credentials, named on Grant Types', () => {
    expect(validateForm(form({ tokenEndpointAuthMethod: 'none' }), 'custom', catalog)).toEqual({});
    expect(validateForm(form({ tokenEndpointAuthMethod: 'none', grantTypes: ['authorization_code', 'client_credentials'] }), 'custom', catalog)).toEqual({ grantTypes: 'A public client (no secret) cannot use Client Credentials.' });
  });

  it('private key JWT: a JWKS URL must be there and use https; a pasted JWKS must be JSON, a key set, public keys only', () => {
    const jwt = (o: Partial<ClientFormValues>) => validateForm(form({ tokenEndpointAuthMethod: 'private_key_jwt', ...o }), 'custom', catalog);
    expect(jwt({ jwksSource: 'uri', jwksUri: '' })).toEqual({ jwksUri: 'Enter the https URL where the application publishes its public keys.' });
    expect(jwt({ jwksSource: 'uri', jwksUri: 'http://app.example.com/jwks.json' })).toEqual({ jwksUri: 'jwksUri must use https.' });
    expect(jwt({ jwksSource: 'uri', jwksUri: 'https://app.example.com/jwks.json' })).toEqual({});
    expect(jwt({ jwksSource: 'paste', jwksText: '{"keys": [' })).toEqual({ jwks: 'The pasted JWKS is not valid JSON.' });
    expect(jwt({ jwksSource: 'paste', jwksText: JSON.stringify(ED25519) })).toEqual({ jwks: 'This is a single key: wrap it as {"keys": [ … ]}.' });
    expect(jwt({ jwksSource: 'paste', jwksText: JSON.stringify({ keys: [ED25519, { ...ED25519, d: 'secret' }] }) }).jwks).toMatch(/^Key 2: This key holds the private member "d"/);
    expect(jwt({ jwksSource: 'paste', jwksText: JSON.stringify({ keys: [ED25519] }) })).toEqual({});
  });

  it('sends only the key source that was chosen', () => {
    const values = form({ tokenEndpointAuthMethod: 'private_key_jwt', jwksSource: 'paste', jwksUri: 'https://left.over/jwks', jwksText: JSON.stringify({ keys: [ED25519] }) });
    expect(authInput(values)).toEqual({ tokenEndpointAuthMethod: 'private_key_jwt', jwks: { keys: [ED25519] } });
    expect(authInput({ ...values, jwksSource: 'uri' })).toEqual({ tokenEndpointAuthMethod: 'private_key_jwt', jwksUri: 'https://left.over/jwks' });
  });

  it("shows the server's errors about keys on the JWKS fields", () => {
    const errors = fieldErrorsFrom({ code: 'validation', message: 'Invalid', fields: [{ field: 'jwks.keys[0].kty', message: 'Only RSA (RS256), EC P-256 (ES256) and Ed25519 (EdDSA) public keys can be used.' }, { field: 'jwksUri', message: 'jwksUri must use https.' }] });
    expect(errors).toEqual({ jwks: 'Key 1: Only RSA (RS256), EC P-256 (ES256) and Ed25519 (EdDSA) public keys can be used.', jwksUri: 'jwksUri must use https.' });
  });
});
