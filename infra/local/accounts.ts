import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { ROLES } from '../../shared/roles.ts';

/**
 * Local-only sign-in accounts (Cognito holds them in AWS). Kept in
 * `<DATA_DIR>/local-accounts.json` with scrypt password hashes.
 */
export const DEMO_PASSWORD = 'demo';

export const demoAccounts = [
  { username: 'admin', displayName: '省厅管理员 Admin', role: 'admin', jurisdiction: '320000' },
  { username: 'lead.suzhou', displayName: '苏州市专班负责人 Suzhou lead', role: 'lead', jurisdiction: '320500' },
  { username: 'lead.wuzhong', displayName: '吴中区联系领导 Wuzhong lead', role: 'lead', jurisdiction: '320506' },
  { username: 'lead.jiangyin', displayName: '江阴市联系领导 Jiangyin lead', role: 'lead', jurisdiction: '320281' },
  { username: 'liaison.wuzhong', displayName: '吴中区联络员 Wuzhong liaison', role: 'liaison', jurisdiction: '320506' },
  {
    username: 'liaison.jiangyin',
    displayName: '江阴市联络员 Jiangyin liaison',
    role: 'liaison',
    jurisdiction: '320281',
  },
  {
    username: 'liaison.xiangcheng',
    displayName: '相城区联络员 Xiangcheng liaison',
    role: 'liaison',
    jurisdiction: '320507',
  },
  // A second liaison per county (issue 20), so the pickers have a choice and show two workloads.
  {
    username: 'liaison2.wuzhong',
    displayName: '吴中区联络员二 Wuzhong liaison 2',
    role: 'liaison',
    jurisdiction: '320506',
  },
  {
    username: 'liaison2.xiangcheng',
    displayName: '相城区联络员二 Xiangcheng liaison 2',
    role: 'liaison',
    jurisdiction: '320507',
  },
  {
    username: 'liaison2.jiangyin',
    displayName: '江阴市联络员二 Jiangyin liaison 2',
    role: 'liaison',
    jurisdiction: '320281',
  },
] as const;

const account = z.object({
  username: z.string(),
  displayName: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  jurisdiction: z.string().check(z.regex(/^\d{6}$/)),
  passwordHash: z.string(),
  /** False once an admin disabled the account (AdminDisableUser); absent means enabled. */
  enabled: z.optional(z.boolean()),
  /** The staff mobile, kept with the account as Cognito's `phone_number` would be. */
  mobile: z.optional(z.string()),
  /** Set for accounts made through AdminCreateUser: the temporary password must be changed first. */
  mustChangePassword: z.optional(z.boolean()),
  /**
   * The groups when they are not exactly `[role]` (a user between two groups while its role
   * changes, or in none): what `cognito:groups` carries. Absent means `[role]`.
   */
  groups: z.optional(z.array(z.enum(ROLES))),
  /** Set by AdminUserGlobalSignOut: refresh tokens issued before this instant are void. */
  signedOutAt: z.optional(z.string()),
});
export type LocalAccount = z.output<typeof account>;

const hash = (password: string): string => {
  const salt = randomBytes(16);
  return `scrypt:${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
};

export const verifyPassword = (password: string, stored: string): boolean => {
  const [, saltHex, keyHex] = stored.split(':');
  if (!saltHex || !keyHex) return false;
  const key = Buffer.from(keyHex, 'hex');
  return timingSafeEqual(scryptSync(password, Buffer.from(saltHex, 'hex'), key.length), key);
};

export class AccountStore {
  readonly #file: string;
  #accounts: LocalAccount[];

  /** The file's modification time when last read or written: an edit by hand is read at the next lookup. */
  #mtimeMs = 0;

  constructor(dataDir: string) {
    this.#file = join(dataDir, 'local-accounts.json');
    this.#accounts = [];
    this.#reload();
  }

  /**
   * Reads the file again when something else changed it (a developer, or a test marking an account
   * disabled while the product runs): the issuer then refuses that account at its next sign-in or refresh.
   */
  #reload(): void {
    if (!existsSync(this.#file)) return;
    const mtimeMs = statSync(this.#file).mtimeMs;
    if (mtimeMs === this.#mtimeMs) return;
    this.#accounts = z.parse(z.array(account), JSON.parse(readFileSync(this.#file, 'utf8')));
    this.#mtimeMs = mtimeMs;
  }

  /** Adds the demo accounts that are missing; returns how many were added. */
  seedDemo(): number {
    let added = 0;
    for (const demo of demoAccounts) {
      if (this.find(demo.username)) continue;
      this.add({ ...demo, email: `${demo.username}@demo.eco-liaison.local` }, DEMO_PASSWORD);
      added++;
    }
    return added;
  }

  add(profile: Omit<LocalAccount, 'passwordHash'>, password: string): void {
    this.#reload();
    this.#accounts.push({ ...profile, passwordHash: hash(password) });
    this.#save();
  }

  /** Changes fields of an account (the stand-in's admin operations); answers whether there was one. */
  update(username: string, changes: Partial<Omit<LocalAccount, 'username' | 'passwordHash'>>): boolean {
    const index = this.#accounts.findIndex((a) => a.username === username);
    const current = this.#accounts[index];
    if (!current) return false;
    const next: LocalAccount = { ...current, ...changes };
    for (const [key, value] of Object.entries(changes)) if (value === undefined) delete next[key as keyof LocalAccount];
    this.#accounts[index] = next;
    this.#save();
    return true;
  }

  /** Removes an account; answers whether there was one. */
  remove(username: string): boolean {
    this.#reload();
    const before = this.#accounts.length;
    this.#accounts = this.#accounts.filter((a) => a.username !== username);
    if (this.#accounts.length === before) return false;
    this.#save();
    return true;
  }

  /**
   * Sets a new password and clears `mustChangePassword`; answers false when there is no such account.
   * The caller has checked the old password and the new one's strength.
   */
  changePassword(username: string, newPassword: string): boolean {
    this.#reload();
    const index = this.#accounts.findIndex((a) => a.username === username);
    const current = this.#accounts[index];
    if (!current) return false;
    const { mustChangePassword: _, ...rest } = current;
    this.#accounts[index] = { ...rest, passwordHash: hash(newPassword) };
    this.#save();
    return true;
  }

  #save(): void {
    writeFileSync(this.#file, `${JSON.stringify(this.#accounts, null, 2)}\n`, { mode: 0o600 });
    this.#mtimeMs = statSync(this.#file).mtimeMs;
  }

  find(username: string): LocalAccount | undefined {
    this.#reload();
    return this.#accounts.find((a) => a.username === username);
  }

  all(): readonly LocalAccount[] {
    this.#reload();
    return this.#accounts;
  }
}
