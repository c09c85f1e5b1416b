import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  ManagedLoginVersion,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { ROLES, type Role } from '../../shared/roles.ts';

export interface AuthStackProps extends StackProps {
  /** Prefix of the hosted sign-in domain `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix?: string;
}

const GROUP_DESCRIPTIONS: Record<Role, string> = {
  liaison: 'Liaison: own pairings in one county',
  lead: 'Lead: everything in its jurisdiction subtree',
  admin: 'Admin: everything, users and settings',
};

/**
 * Staff identities: one Cognito user pool (accounts are created by admins), a group per
 * staff role and the `jurisdiction` attribute, so ID tokens carry `cognito:groups` and
 * `custom:jurisdiction`. The console's app client lives with the site (it needs the
 * site's address for its callback URLs).
 */
export class AuthStack extends Stack {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  /** The JWT issuer, `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: AuthStackProps = {}) {
    super(scope, id, props);

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      customAttributes: { jurisdiction: new StringAttribute({ minLen: 6, maxLen: 6, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plusReason =
      'Threat protection needs the Plus feature plan, billed per monthly active user; staff accounts are created ' +
      'by admins only (no self sign-up) and every sign-in needs a TOTP second factor, so the added cost buys little.';
    Validations.of(this.userPool).acknowledge({ id: 'AwsSolutions-COG3', reason: plusReason });
    Validations.of(this.userPool).acknowledge({ id: 'AwsSolutions-COG8', reason: plusReason });

    for (const role of ROLES) {
      new UserPoolGroup(this, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        description: GROUP_DESCRIPTIONS[role],
      });
    }

    // Managed login (version 2), not the classic hosted UI: it has Chinese (the console asks for
    // it with `lang=zh-CN`), the forced change of a temporary password and TOTP set-up in the same
    // pages. Its look is the branding the console client gets in the Site stack.
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? Fn.join('-', ['eco-liaison', Aws.ACCOUNT_ID]) },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.issuer = this.userPool.userPoolProviderUrl;

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'Issuer', { value: this.issuer });
    new CfnOutput(this, 'SignInDomain', { value: this.domain.baseUrl() });
  }
}
