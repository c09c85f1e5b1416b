import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { UNATTACHED_PREFIX } from '../../shared/evidence.ts';
import { type IndexDef, table as tableDef } from '../../shared/table.ts';

export interface DataStackProps extends StackProps {
  /** Origin of the site, allowed to PUT / GET evidence with presigned URLs. */
  readonly siteUrl: string;
  /**
   * The fields of the SMS provider's API key when the stack keeps it (a mainland provider and no
   * `smsSecretArn`): a secret is made with these fields empty, for the operator to fill in.
   */
  readonly smsSecretFields?: readonly string[];
}

/**
 * The evidence bucket's name, fixed per account and region: other stacks name it without a
 * cross-stack reference (IAM resources, the site's CSP), and a redeploy after the stack was
 * deleted fails loudly on the retained bucket instead of starting an empty one.
 */
export const evidenceBucketName = (): string => Fn.join('-', ['eco-liaison-evidence', Aws.ACCOUNT_ID, Aws.REGION]);

/** Evidence uploaded but not attached to a record within a day is removed. */

const privateBucket = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
} as const;

/** The stateful part: the single table of `shared/table.ts` and the evidence bucket. */
export class DataStack extends Stack {
  readonly table: Table;
  readonly evidence: Bucket;
  /** The SMS provider's API key (Aliyun / Tencent Cloud), when the stack keeps it. */
  readonly smsSecret: Secret | undefined;
  /** Signs firm tokens (functions/lib/firms/firm-token.ts): its private half never leaves KMS. */
  readonly firmKey: Key;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: tableDef.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDef.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: tableDef.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
      // Outgoing messages wake the deliveries function through the stream (shared/functions.ts).
      stream: StreamViewType.NEW_IMAGE,
    });
    for (const index of tableDef.indexes as readonly IndexDef[]) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...(index.include
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }
          : { projectionType: ProjectionType.ALL }),
      });
    }

    const accessLogs = new Bucket(this, 'AccessLogs', {
      ...privateBucket,
      lifecycleRules: [{ id: 'expire', expiration: Duration.days(365) }],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket receives the server access logs of the evidence bucket; logging it into itself would loop.',
    });

    this.evidence = new Bucket(this, 'Evidence', {
      ...privateBucket,
      bucketName: evidenceBucketName(),
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'evidence/',
      cors: [
        {
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET],
          allowedOrigins: [props.siteUrl],
          allowedHeaders: ['content-type', 'content-md5', 'x-amz-*'],
          exposedHeaders: ['ETag'],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        {
          id: 'unattached',
          prefix: UNATTACHED_PREFIX,
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'noncurrent',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    if (props.smsSecretFields) {
      // Made with empty fields: the key is put in by the operator (console or CLI), never in the repository.
      this.smsSecret = new Secret(this, 'SmsProviderKey', {
        description: `Eco Liaison: the SMS provider's API key, as JSON {${props.smsSecretFields.map((f) => `"${f}": "…"`).join(', ')}}`,
        generateSecretString: {
          secretStringTemplate: JSON.stringify(Object.fromEntries(props.smsSecretFields.map((f) => [f, '']))),
          generateStringKey: 'placeholder',
        },
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(this.smsSecret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'The key is issued by the SMS provider (Aliyun / Tencent Cloud), not by AWS: a Lambda cannot rotate it; it is rotated at the provider and put here (README runbook).',
      });
      new CfnOutput(this, 'SmsSecretArn', { value: this.smsSecret.secretArn });
    }
    // Asymmetric and for signing only: KMS offers no rotation for such keys, so a new key is a new
    // `kid` in the issuer's key set (README runbook); the old one is kept until its tokens expired.
    this.firmKey = new Key(this, 'FirmTokenKey', {
      description: 'Eco Liaison: signs firm sign-in tokens (ES256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      alias: 'eco-liaison-firm-tokens',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.firmKey).acknowledge({
      id: 'AwsSolutions-KMS5',
      reason:
        'KMS does not rotate asymmetric keys; the firm token key is replaced by a new key and kid (README runbook).',
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EvidenceBucketName', { value: this.evidence.bucketName });
  }
}
