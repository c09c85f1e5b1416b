import { Arn, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { UNATTACHED_PREFIX } from '../../shared/evidence.ts';
import type { FunctionDef } from '../../shared/functions.ts';
import { table as tableDef } from '../../shared/table.ts';
import type { SmsDeploymentSettings } from '../sms.ts';
import { wildcardResourceId } from './nag.ts';

/**
 * The actions behind each grant level of `shared/functions.ts`, spelled out so that a
 * policy never holds a wildcard action. Scan is left out on purpose: request paths and
 * jobs use GetItem / Query / TransactWriteItems only (transactions authorise as the
 * underlying item actions).
 */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  write: [
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:ConditionCheckItem',
  ],
} as const;

export const BUCKET_ACTIONS = {
  read: ['s3:GetObject'],
  /** Presigned uploads are signed with PutObject; attaching moves an object (copy, then delete). */
  write: ['s3:PutObject', 's3:DeleteObject'],
} as const;

/** Everything a function may be granted, by the names `grants` uses. */
export interface GrantTargets {
  readonly table: ITable;
  /** The evidence bucket, by its fixed name (see `evidenceBucketName`). */
  readonly bucketName: string;
  /** The one address the product sends from (SES identity). */
  readonly mailFrom: string;
  /** The staff user pool (accounts are created there); none when the deployment trusts an external issuer. */
  readonly userPool: { readonly arn: string; readonly id: string } | undefined;
  /** How text messages are sent, and the secret holding a mainland provider's key (none for SNS). */
  readonly sms: { readonly settings: SmsDeploymentSettings; readonly secretArn: string | undefined };
  /** The KMS key that signs firm tokens. */
  readonly firmKeyArn: string;
}

/** Reading the SMS provider's key; nothing else of Secrets Manager. */
export const SMS_SECRET_ACTIONS = ['secretsmanager:GetSecretValue'] as const;

/**
 * What a function that sends text messages needs, by provider: SNS direct publish, or reading the
 * mainland provider's key from its one secret. The one place this is granted: every sending
 * function (`grants.sms` in shared/functions.ts: today the staff and jobs functions; the
 * deliveries function when it comes) goes through here, so no other function can read the key.
 */
export const grantSmsSending = (grantee: IGrantable & IConstruct, targets: Pick<GrantTargets, 'sms'>): void => {
  const add = (statement: PolicyStatement) => grantee.grantPrincipal.addToPrincipalPolicy(statement);
  if (targets.sms.settings.provider === 'sns') {
    // Publishing straight to a phone number has no resource ARN; NotResource keeps topics out of reach.
    add(
      new PolicyStatement({
        sid: 'SendSms',
        actions: ['sns:Publish'],
        notResources: [Arn.format({ service: 'sns', resource: '*' }, Stack.of(grantee))],
      }),
    );
    return;
  }
  if (!targets.sms.secretArn) throw new Error(`smsProvider=${targets.sms.settings.provider} needs its key's secret`);
  add(
    new PolicyStatement({
      sid: 'SmsProviderKey',
      actions: [...SMS_SECRET_ACTIONS],
      resources: [targets.sms.secretArn],
    }),
  );
};

/** Creating a staff account: the user, its group (role); reading it back to tell a taken name. */
export const USER_POOL_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminDeleteUser',
  // Account lifecycle (PATCH /api/staff/users/{username}): disable + sign out, enable, role and attributes.
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminRemoveUserFromGroup',
] as const;

/**
 * Gives `grantee` exactly what `grants` names, and nothing else:
 * table items (and its named indexes, for Query), bucket objects, and SES SendEmail
 * from the product's own address.
 */
export const grantByName = (
  grantee: IGrantable & IConstruct,
  grants: FunctionDef['grants'],
  targets: GrantTargets,
): void => {
  const add = (statement: PolicyStatement) => grantee.grantPrincipal.addToPrincipalPolicy(statement);

  if (grants.table) {
    const { tableArn } = targets.table;
    add(
      new PolicyStatement({
        sid: 'TableRead',
        actions: [...TABLE_ACTIONS.read],
        resources: [tableArn, ...tableDef.indexes.map((index) => `${tableArn}/index/${index.name}`)],
      }),
    );
    if (grants.table === 'readWrite') {
      add(new PolicyStatement({ sid: 'TableWrite', actions: [...TABLE_ACTIONS.write], resources: [tableArn] }));
    }
  }

  const stack = Stack.of(grantee);
  if (grants.bucket) {
    const actions =
      grants.bucket === 'readWrite' ? [...BUCKET_ACTIONS.read, ...BUCKET_ACTIONS.write] : BUCKET_ACTIONS.read;
    const objects = Arn.format(
      { service: 's3', region: '', account: '', resource: targets.bucketName, resourceName: '*' },
      stack,
    );
    add(new PolicyStatement({ sid: 'BucketObjects', actions: [...actions], resources: [objects] }));
    Validations.of(grantee).acknowledge({
      id: wildcardResourceId(grantee, objects),
      reason:
        'Object keys are chosen per upload at run time; the grant covers the objects of the evidence bucket only, with the named actions only.',
    });
  }

  if (grants.uploads) {
    const uploads = Arn.format(
      { service: 's3', region: '', account: '', resource: targets.bucketName, resourceName: `${UNATTACHED_PREFIX}*` },
      stack,
    );
    add(new PolicyStatement({ sid: 'BucketUploads', actions: ['s3:PutObject'], resources: [uploads] }));
    Validations.of(grantee).acknowledge({
      id: wildcardResourceId(grantee, uploads),
      reason: 'Presigned uploads get a fresh key each; only PutObject, only under the unattached/ prefix.',
    });
  }

  if (grants.users && targets.userPool) {
    add(
      new PolicyStatement({ sid: 'StaffAccounts', actions: [...USER_POOL_ACTIONS], resources: [targets.userPool.arn] }),
    );
  }

  if (grants.sms) grantSmsSending(grantee, targets);

  if (grants.firmKey) {
    // Sign and read the public half: never decrypt, never manage.
    add(
      new PolicyStatement({
        sid: 'FirmTokens',
        actions: ['kms:Sign', 'kms:GetPublicKey'],
        resources: [targets.firmKeyArn],
      }),
    );
  }

  if (grants.email) {
    const domain = targets.mailFrom.split('@')[1] ?? targets.mailFrom;
    const identity = (name: string) =>
      Arn.format(
        { service: 'ses', resource: 'identity', resourceName: name, arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
        stack,
      );
    add(
      new PolicyStatement({
        sid: 'SendMail',
        actions: ['ses:SendEmail'],
        // SES authorises against the verified identity: the address itself or its domain.
        resources: [identity(targets.mailFrom), identity(domain)],
        conditions: { StringEquals: { 'ses:FromAddress': targets.mailFrom } },
      }),
    );
  }
};
