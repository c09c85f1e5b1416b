/**
 * `npm run admin:create -- --username … --email … --jurisdiction … [--display-name …] [--mobile …]
 *   [--user-pool-id … --table-name …] [--outputs-file cdk-outputs.json]`
 *
 * The first admin of a new deployment: nobody can sign in to create one through the console yet.
 * Runs with the operator's AWS credentials (the default chain: AWS_PROFILE, SSO, environment) and
 * does what `POST /api/staff/users` does for an admin: the user item with its audit event, then the
 * pool account (AdminCreateUser with a temporary password, status FORCE_CHANGE_PASSWORD, and
 * AdminAddUserToGroup `admin`); if the pool refuses, the item is taken back. The temporary password
 * is printed once: it works for the pool's temporary-password validity (3 days) and must be changed
 * at first sign-in.
 *
 * Pool and table come from the flags or from the outputs file `cdk deploy --outputs-file` wrote
 * (`EcoLiaison-Auth.UserPoolId`, `EcoLiaison-Data.TableName`). The standard endpoint variables
 * (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL_DYNAMODB) point it at the local
 * stand-ins for tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { fieldsOfIssues } from '../shared/api-errors.ts';
import { ENV } from '../shared/config.ts';
import { staffUserInput } from '../shared/staff-user.ts';

const USAGE =
  'Usage: npm run admin:create -- --username <name> --email <address> --jurisdiction <6-digit code>\n' +
  '         [--display-name <name>] [--mobile <11 digits>]\n' +
  '         [--user-pool-id <id> --table-name <name> | --outputs-file <cdk-outputs.json>]';

/** A refusal the operator can act on: printed without a stack, exit code 2. */
class UsageError extends Error {}

const OPTIONS = {
  username: { type: 'string' },
  email: { type: 'string' },
  jurisdiction: { type: 'string' },
  'display-name': { type: 'string' },
  mobile: { type: 'string' },
  'user-pool-id': { type: 'string' },
  'table-name': { type: 'string' },
  'outputs-file': { type: 'string' },
  help: { type: 'boolean' },
} as const;

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
const TABLE_NAME = /^[\w.-]{3,255}$/;

/** Where the deployment's pool and table are: flags first, then the outputs file. */
const deploymentOf = (flags: { pool?: string; table?: string; outputsFile?: string }) => {
  let pool = flags.pool;
  let table = flags.table;
  if (pool === undefined || table === undefined) {
    const file = flags.outputsFile ?? 'cdk-outputs.json';
    if (!existsSync(file))
      throw new UsageError(
        `Give --user-pool-id and --table-name, or the outputs file of \`cdk deploy --outputs-file ${file}\` (${file} not found).`,
      );
    let outputs: Record<string, Record<string, string> | undefined>;
    try {
      outputs = JSON.parse(readFileSync(file, 'utf8')) as typeof outputs;
    } catch {
      throw new UsageError(`${file} is not the JSON that cdk deploy --outputs-file writes.`);
    }
    pool ??= outputs['EcoLiaison-Auth']?.UserPoolId;
    table ??= outputs['EcoLiaison-Data']?.TableName;
    if (pool === undefined)
      throw new UsageError(
        `${file} has no EcoLiaison-Auth.UserPoolId: a deployment on an external issuer has no pool; create admins there.`,
      );
    if (table === undefined) throw new UsageError(`${file} has no EcoLiaison-Data.TableName.`);
  }
  if (!POOL_ID.test(pool)) throw new UsageError(`--user-pool-id: "${pool}" is not a user pool id (region_Xxxx).`);
  if (!TABLE_NAME.test(table)) throw new UsageError(`--table-name: "${table}" is not a table name.`);
  return { pool, table };
};

export const adminCreate = async (argv: readonly string[], print: (line: string) => void): Promise<void> => {
  let values: Partial<Record<keyof typeof OPTIONS, string | boolean>>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    print(USAGE);
    return;
  }
  const text = (name: keyof typeof OPTIONS) => (typeof values[name] === 'string' ? values[name] : undefined);
  const missing = (['username', 'email', 'jurisdiction'] as const).filter((name) => text(name) === undefined);
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map((m) => `--${m}`).join(', ')}.\n${USAGE}`);

  const parsed = z.safeParse(staffUserInput, {
    username: text('username'),
    email: text('email'),
    jurisdiction: text('jurisdiction'),
    displayName: text('display-name') ?? text('username'),
    mobile: text('mobile'),
    role: 'admin',
  });
  if (!parsed.success) {
    const flag: Record<string, string> = { displayName: 'display-name' };
    const lines = Object.entries(fieldsOfIssues(parsed.error.issues)).map(
      ([field, message]) => `--${flag[field] ?? field}: ${message}`,
    );
    throw new UsageError(lines.join('\n'));
  }
  const user = parsed.data;
  const { pool, table } = deploymentOf({
    pool: text('user-pool-id'),
    table: text('table-name'),
    outputsFile: text('outputs-file'),
  });

  // The product's own modules read these; the endpoints come from the standard AWS variables.
  process.env[ENV.userPoolId] = pool;
  process.env[ENV.tableName] = table;
  const { createProfile, deleteProfile } = await import('../functions/lib/accounts/profiles.ts');
  const { createLogin, temporaryPassword } = await import('../functions/lib/accounts/logins.ts');
  const { AppError } = await import('../functions/lib/http/errors.ts');
  const operator = {
    sub: 'operator',
    username: 'operator:admin-create',
    email: undefined,
    role: 'admin',
    jurisdiction: user.jurisdiction,
  } as const;
  const password = temporaryPassword();
  try {
    await createProfile(operator, user, new Date().toISOString());
    try {
      await createLogin(user, password);
    } catch (error) {
      await deleteProfile(user.username);
      throw error;
    }
  } catch (error) {
    if (error instanceof AppError && error.code === 'USERNAME_TAKEN')
      throw new UsageError(
        `--username: an account "${user.username}" exists already (in the table or the pool). ` +
          'Choose another name, or manage that account in the console.',
      );
    throw error;
  }
  print(`Created admin "${user.username}" (${user.jurisdiction}) in ${pool}.`);
  print(`Temporary password (shown once; change it at first sign-in, within 3 days): ${password}`);
};

if (import.meta.main) {
  adminCreate(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`admin:create: ${error.message}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`admin:create failed: ${(error as Error).name}: ${(error as Error).message}\n`);
        process.exitCode = 1;
      }
    },
  );
}
