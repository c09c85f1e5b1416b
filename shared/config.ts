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
  /** Local runtime only: the local stand-in for Cognito's user administration. */
  cognitoEndpoint: 'COGNITO_ENDPOINT',
  /** Local runtime only: DynamoDB Local endpoint. */
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
  /** Local runtime only: S3-compatible server endpoint. */
  s3Endpoint: 'S3_ENDPOINT',
  /** Local runtime only: folder where e-mails and webhook calls are recorded instead of sent. */
  outboxDir: 'OUTBOX_DIR',
  /**
   * Local runtime only ("1"): robots may also be plain http on 127.0.0.1, any port (tests run their
   * own). Never set by CDK; an infra test checks that no deployed function carries it.
   */
  robotLoopback: 'ROBOT_LOOPBACK',
} as const;
