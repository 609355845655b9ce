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

/** Where user rows live: SQLite (below) or PostgreSQL (postgres/users.ts). */
export interface UserRows {
  find(username: string): Promise<(User & { password_hash: string }) | null>;
  insert(user: User, passwordHash: string, at: string): Promise<void>;
  setHash(username: string, passwordHash: string, at: string): Promise<void>;
}

export function sqliteUserRows(db: Db): UserRows {
  const find = db.prepare('SELECT username, name, role, password_hash FROM users WHERE username = ?');
  const insert = db.prepare('INSERT INTO users (username, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const setHash = db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE username = ?');
  return {
    async find(username) {
      return (find.get(username) as (User & { password_hash: string }) | undefined) ?? null;
    },
    async insert(user, hash, at) {
      insert.run(user.username, user.name, user.role, hash, at, at);
    },
    async setHash(username, hash, at) {
      setHash.run(hash, at, username);
    },
  };
}

export class UserStore {
  readonly #rows: UserRows;
  readonly #now: () => Date;

  constructor(rows: UserRows, options: { now?: () => Date } = {}) {
    this.#rows = rows;
    this.#now = options.now ?? (() => new Date());
  }

  async find(username: string): Promise<User | null> {
    const row = await this.#rows.find(username);
    return row ? { username: row.username, name: row.name, role: row.role } : null;
  }

  async create(user: User, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.#rows.insert(user, hash, this.#now().toISOString());
  }

  /** Sets the password when it differs from the stored one; true when it changed. */
  async setPassword(username: string, password: string): Promise<boolean> {
    const row = await this.#rows.find(username);
    if (!row || (await verifyPassword(password, row.password_hash))) return false;
    await this.#rows.setHash(username, await hashPassword(password), this.#now().toISOString());
    return true;
  }

  /** The user when the password is right, else null (same cost whether or not the user exists). */
  async authenticate(username: string, password: string): Promise<User | null> {
    const row = await this.#rows.find(username);
    const matches = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !matches) return null;
    return { username: row.username, name: row.name, role: row.role };
  }
}
