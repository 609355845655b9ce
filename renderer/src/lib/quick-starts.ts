// The details panel's quick starts: a few lines that get a token for this client with its grant
// types — curl for Client Credentials, openid-client for Authorization Code with PKCE — with the
// client ID and the server's URLs filled in. Never the secret: the code reads it from
// `$CLIENT_SECRET` (or `process.env.CLIENT_SECRET`), which the user sets from their vault.
import type { Client } from '../../../shared/client.ts';
import type { ServerEndpoints } from '../../../shared/contract.ts';

export interface QuickStart {
  id: 'client-credentials-curl' | 'authorization-code-openid-client';
  title: string;
  language: 'shell' | 'javascript';
  code: string;
  /** What the code needs from the user, in one sentence. */
  note: string;
}

export const SECRET_PLACEHOLDER = '$CLIENT_SECRET';
export const EXAMPLE_REDIRECT_URI = 'https://app.example.com/callback';

/** A word for a POSIX shell: as is when it holds only safe characters, else in single quotes. */
export function shellWord(text: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A JavaScript string literal (single quotes). */
export function jsString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

type QuickStartClient = Pick<Client, 'clientId' | 'grantTypes' | 'scopes' | 'redirectUris' | 'tokenEndpointAuthMethod'>;

export function quickStarts(client: QuickStartClient, endpoints: Pick<ServerEndpoints, 'issuer' | 'tokenEndpoint'>): QuickStart[] {
  const starts: QuickStart[] = [];
  if (client.grantTypes.includes('client_credentials') && client.tokenEndpointAuthMethod !== 'none') starts.push(clientCredentialsCurl(client, endpoints.tokenEndpoint));
  if (client.grantTypes.includes('authorization_code')) starts.push(authorizationCodeOpenidClient(client, endpoints.issuer));
  return starts;
}

function clientCredentialsCurl(client: QuickStartClient, tokenEndpoint: string): QuickStart {
  const lines = ['curl -sS -X POST'];
  let note = `Set CLIENT_SECRET to the client's secret (from your vault) first: export CLIENT_SECRET='…'.`;
  switch (client.tokenEndpointAuthMethod) {
    case 'client_secret_post':
      lines.push(`--data-urlencode ${shellWord(`client_id=${client.clientId}`)}`, `--data-urlencode "client_secret=${SECRET_PLACEHOLDER}"`);
      break;
    case 'private_key_jwt':
      lines.push('-d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer', '-d "client_assertion=$CLIENT_ASSERTION"');
      note = `Set CLIENT_ASSERTION to a JWT signed with the client's private key: iss and sub the client ID, aud the token URL, a unique jti, a short exp.`;
      break;
    default:
      // HTTP Basic: the client ID and the secret, each form-encoded (RFC 6749 §2.3.1); both are URL-safe here.
      lines.push(`-u ${shellWord(`${client.clientId}:`)}"${SECRET_PLACEHOLDER}"`);
  }
  lines.push('-d grant_type=client_credentials');
  if (client.scopes.length) lines.push(`-d ${shellWord(`scope=${client.scopes.join(' ')}`)}`);
  lines.push(shellWord(tokenEndpoint));
  return { id: 'client-credentials-curl', title: 'Client Credentials with curl', language: 'shell', code: lines.join(' \\\n  '), note };
}

function authorizationCodeOpenidClient(client: QuickStartClient, issuer: string): QuickStart {
  const auth =
    client.tokenEndpointAuthMethod === 'client_secret_post'
      ? 'client.ClientSecretPost(process.env.CLIENT_SECRET)'
      : client.tokenEndpointAuthMethod === 'private_key_jwt'
        ? 'client.PrivateKeyJwt(privateKey)'
        : client.tokenEndpointAuthMethod === 'none'
          ? 'client.None()'
          : 'client.ClientSecretBasic(process.env.CLIENT_SECRET)';
  const redirectUri = client.redirectUris[0] ?? EXAMPLE_REDIRECT_URI;
  const scope = client.scopes.join(' ');
  // openid-client refuses plain http unless told; only a loopback issuer is ever http here.
  const insecure = issuer.startsWith('http:') ? ', {\n  execute: [client.allowInsecureRequests],\n}' : '';
  const code = [
    "import * as client from 'openid-client';",
    '',
    ...(client.tokenEndpointAuthMethod === 'private_key_jwt' ? ["// privateKey: the client's private key as a CryptoKey (for example, jose's importPKCS8).", ''] : []),
    `const config = await client.discovery(new URL(${jsString(issuer)}), ${jsString(client.clientId)}, undefined, ${auth}${insecure});`,
    '',
    'const codeVerifier = client.randomPKCECodeVerifier();',
    'const authorizationUrl = client.buildAuthorizationUrl(config, {',
    `  redirect_uri: ${jsString(redirectUri)},`,
    ...(scope ? [`  scope: ${jsString(scope)},`] : []),
    '  code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),',
    "  code_challenge_method: 'S256',",
    '});',
    '// Send the user to authorizationUrl. At the redirect URI, with the URL the browser came back to:',
    'const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: codeVerifier });',
  ].join('\n');
  const note =
    client.tokenEndpointAuthMethod === 'none'
      ? 'A public client: no secret, PKCE proves the code is yours. npm install openid-client.'
      : client.tokenEndpointAuthMethod === 'private_key_jwt'
        ? 'The client signs with its private key: no secret. npm install openid-client.'
        : `Set CLIENT_SECRET in the environment to the client's secret (from your vault). npm install openid-client.`;
  return { id: 'authorization-code-openid-client', title: 'Authorization Code with PKCE (openid-client)', language: 'javascript', code, note };
}
