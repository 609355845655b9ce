// The people who sign in to the admin console. Passwords are stored as scrypt hashes (a slow KDF
// is right here: people choose guessable passwords, unlike the 256-bit client secrets).
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import type { Db } from './database.ts';

const scrypt = promisify(crypto.scrypt) as (password: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

export const ROLES = ['admin', 'helpdesk'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may be granted at the admin API. */
export const ROLE_SCOPES: Record<Role, readonly string[]> = {
  admin: ['clients:read', 'clients:write'],
  helpdesk: ['clients:read'],
};

export interface User {
  username: string;
  name: string;
  role: Role;
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

/** `scrypt$N$r$p$salt$hash`, so the cost can be raised later without breaking stored hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return crypto.timingSafeEqual(actual, expected);
}

// Checked against when the user does not exist, so that a wrong user name costs as long as a wrong password.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export class UserStore {
  readonly #db: Db;
  readonly #now: () => Date;

  constructor(db: Db, options: { now?: () => Date } = {}) {
    this.#db = db;
    this.#now = options.now ?? (() => new Date());
  }

  find(username: string): User | null {
    const row = this.#db.prepare('SELECT username, name, role FROM users WHERE username = ?').get(username) as User | undefined;
    return row ?? null;
  }

  async create(user: User, password: string): Promise<void> {
    const hash = await hashPassword(password);
    const now = this.#now().toISOString();
    this.#db
      .prepare('INSERT INTO users (username, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(user.username, user.name, user.role, hash, now, now);
  }

  /** Sets the password when it differs from the stored one; true when it changed. */
  async setPassword(username: string, password: string): Promise<boolean> {
    const row = this.#db.prepare('SELECT password_hash FROM users WHERE username = ?').get(username) as { password_hash: string } | undefined;
    if (!row || (await verifyPassword(password, row.password_hash))) return false;
    const hash = await hashPassword(password);
    this.#db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE username = ?').run(hash, this.#now().toISOString(), username);
    return true;
  }

  /** The user when the password is right, else null (same cost whether or not the user exists). */
  async authenticate(username: string, password: string): Promise<User | null> {
    const row = this.#db.prepare('SELECT username, name, role, password_hash FROM users WHERE username = ?').get(username) as
      | (User & { password_hash: string })
      | undefined;
    const matches = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !matches) return null;
    return { username: row.username, name: row.name, role: row.role };
  }
}
