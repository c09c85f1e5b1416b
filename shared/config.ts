/**
 * Names of the environment variables the functions read. CDK sets them in AWS;
 * the local runtime sets them (plus the local-only ones) before loading handlers.
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  appVersion: 'APP_VERSION',
  mailFrom: 'MAIL_FROM',
  /** Public origin of the site, used in links inside e-mails. */
  siteUrl: 'SITE_URL',
  /** Contact modes that count for the monthly rule, comma-separated (default visit,video). */
  qualifyingModes: 'QUALIFYING_MODES',
  /** Levels of leads held to the quarterly field service, comma-separated (CDK context `leaderVisitLevels`; default city,province). */
  leaderVisitLevels: 'LEADER_VISIT_LEVELS',
  /** Months between a paired firm's check-ups (CDK context `checkupIntervalMonths`; default 12). */
  checkupIntervalMonths: 'CHECKUP_INTERVAL_MONTHS',
  /** Pairings each county is expected to hold in a service year (CDK context `coverageTarget`; default 10). */
  coverageTarget: 'COVERAGE_TARGET',
  /** Hosts group-chat robots may be on, comma-separated (CDK context `robotHosts`; default WeCom's and DingTalk's). */
  robotHosts: 'ROBOT_HOSTS',
  /**
   * The Cognito user pool where staff accounts are created. Unset when the deployment trusts an
   * external issuer (CDK context `oidcIssuer`): accounts are then managed at that issuer.
   */
  userPoolId: 'USER_POOL_ID',
  /**
   * "1" when staff sign in at an external issuer (set by CDK on the staff function exactly when
   * there is no pool): the first token of a staff member records its account here, as the token
   * says, so it is listed and can be disabled on this side (the issuer keeps role and jurisdiction).
   */
  recordIssuerAccounts: 'RECORD_ISSUER_ACCOUNTS',
  /** Name of the ID-token claim holding the staff role (CDK context `oidcGroupsClaim`; default `cognito:groups`). */
  groupsClaim: 'GROUPS_CLAIM',
  /** Name of the claim holding the jurisdiction (CDK context `oidcJurisdictionClaim`; default `custom:jurisdiction`). */
  jurisdictionClaim: 'JURISDICTION_CLAIM',
  /** Name of the claim naming the user (CDK context `oidcUsernameClaim`); unset: the first present of a fixed order. */
  usernameClaim: 'USERNAME_CLAIM',
  /**
   * The KMS key (id, ARN or alias) that signs firm tokens: an asymmetric ECC_NIST_P256 key whose
   * private half never leaves KMS; its public half is the firm issuer's JWKS. Not a secret.
   */
  firmKeyId: 'FIRM_KEY_ID',
  /** Local runtime only: the local stand-in for Cognito's user administration. */
  cognitoEndpoint: 'COGNITO_ENDPOINT',
  /** Local runtime only: DynamoDB Local endpoint. */
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
  /** Local runtime only: S3-compatible server endpoint. */
  s3Endpoint: 'S3_ENDPOINT',
  /** Which SMS provider sends text messages (CDK context `smsProvider`): sns (default), aliyun or tencent. */
  smsProvider: 'SMS_PROVIDER',
  /** The provider's registered signature (CDK context `smsSignName`); Aliyun and Tencent Cloud require one. */
  smsSignName: 'SMS_SIGN_NAME',
  /** JSON map of SMS kind → registered template id (CDK context `smsTemplates`). */
  smsTemplates: 'SMS_TEMPLATES',
  /** ARN of the Secrets Manager secret holding the provider's API key (never the key itself). */
  smsSecretArn: 'SMS_SECRET_ARN',
  /** Tencent Cloud's SMS application id (SmsSdkAppId; CDK context `smsAppId`). */
  smsAppId: 'SMS_APP_ID',
  /** The provider's region (Tencent Cloud; CDK context `smsRegion`, default ap-guangzhou). */
  smsRegion: 'SMS_REGION',
  /** The provider's API endpoint, when not its default (CDK context `smsEndpoint`, e.g. a regional one). */
  smsEndpoint: 'SMS_ENDPOINT',
  /**
   * Local runtime only ("1"): robots may also be plain http on 127.0.0.1, any port (tests run their
   * own). Never set by CDK; an infra test checks that no deployed function carries it.
   */
  robotLoopback: 'ROBOT_LOOPBACK',
} as const;

/**
 * A firm's difficulties card (issue 16): taken up within `takeUp` working days and answered within
 * `answer` (the mainland calendar with its 调休, shared/working-days.ts). A deployment may set other
 * limits with FIRM_TAKE_UP_WORKING_DAYS and FIRM_ANSWER_WORKING_DAYS (whole days, 1 to 60).
 */
export const FIRM_REQUEST_LIMITS = { takeUp: 2, answer: 5 } as const;
export const FIRM_REQUEST_ENV = {
  takeUp: 'FIRM_TAKE_UP_WORKING_DAYS',
  answer: 'FIRM_ANSWER_WORKING_DAYS',
} as const;
