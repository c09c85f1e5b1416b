import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AccessLevel,
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  CfnManagedLoginBranding,
  ClientAttributes,
  type IUserPool,
  OAuthScope,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct, IConstruct } from 'constructs';
import { type AuthConfig, CONSOLE_SCOPES, SIGN_IN_PATHS } from '../../shared/auth-config.ts';
import { contentSecurityPolicy } from '../../shared/security-headers.ts';
import { acknowledgeCdkWildcards } from '../constructs/nag.ts';
import { evidenceBucketName } from './data.ts';

/**
 * Who signs staff in: the stack's own Cognito pool (the console's app client is made here, as it
 * needs the site's address), or an external OpenID Connect issuer where the client is registered.
 */
export type SiteIdentity =
  | {
      readonly kind: 'cognito';
      readonly userPool: IUserPool;
      readonly signInDomain: UserPoolDomain;
      readonly issuer: string;
    }
  | { readonly kind: 'external'; readonly issuer: string; readonly clientId: string };

export interface SiteStackProps extends StackProps {
  /** The built static site (`npm run build:site` writes `site/dist`). */
  readonly siteDir: string;
  readonly identity: SiteIdentity;
  /**
   * The ARN of the CLOUDFRONT-scope web ACL (infra/stacks/waf.ts, deployed in us-east-1) that
   * guards the distribution; without one the public routes rely on the API stage's throttle and
   * the booking route's own limits.
   */
  readonly webAclArn?: string | undefined;
  /** How long the deployment handler keeps its logs (CDK context `logRetentionDays`); unset: a month. */
  readonly logRetention?: RetentionDays | undefined;
}

/** Staff console pages that receive the authorization code and the sign-out return, relative to the site origin. */
export { SIGN_IN_PATHS };

/** Where the static build puts its content-hashed assets (cached for a year). */
const HASHED_ASSETS = '_astro/*';

/**
 * CloudFront Functions code (viewer request): `/staff/sign-in/` and `/staff/sign-in`
 * are served from `/staff/sign-in/index.html`, as the static build writes them.
 */
export const INDEX_REWRITE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.lastIndexOf('.') <= uri.lastIndexOf('/')) {
    request.uri = uri + '/index.html';
  }
  return request;
}`;

/**
 * The one public origin: CloudFront serves the static site from a private bucket and
 * forwards `/api/*` to the HTTP API. The HTTP API resource is created here, before the
 * distribution, because the distribution needs its address while the functions, the
 * console's app client and the evidence CORS rule need the distribution's address;
 * its routes, authorizer and stage are in the Api stack.
 */
export class SiteStack extends Stack {
  readonly httpApi: HttpApi;
  readonly distribution: Distribution;
  /** `https://<distribution domain>`, no trailing slash. */
  readonly siteUrl: string;
  /** The console's Cognito app client; none with an external issuer (it is registered there). */
  readonly consoleClient: UserPoolClient | undefined;
  /** The issuer the console signs in at and the API trusts. */
  readonly issuer: string;
  /** The console's client id at that issuer: the audience the API accepts. */
  readonly clientId: string;

  constructor(scope: Construct, id: string, props: SiteStackProps) {
    super(scope, id, props);
    const region = this.region;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Eco Liaison API; reached through CloudFront under /api',
      createDefaultStage: false,
    });

    const content = new Bucket(this, 'Content', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    Validations.of(content).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Holds only the public static build, written by the deployment and read by CloudFront through OAC; ' +
        'it is rebuilt from the repository on every deploy and holds no personal data.',
    });

    const { identity } = props;
    this.issuer = identity.issuer;
    // Where the browser talks to the issuer: Cognito's discovery document and keys are at
    // cognito-idp.<region>, its sign-in and token endpoints on the pool's domain; an external
    // issuer's are taken to be on the issuer's own origin.
    const issuerOrigin =
      identity.kind === 'cognito' ? `https://cognito-idp.${region}.${this.urlSuffix}` : new URL(identity.issuer).origin;
    const signInOrigin = identity.kind === 'cognito' ? identity.signInDomain.baseUrl() : issuerOrigin;
    // Presigned URLs address the evidence bucket by its fixed name (virtual-hosted style).
    const evidenceHost = `https://${evidenceBucketName()}.s3.${region}.${this.urlSuffix}`;
    // Discovery and token exchange with the issuer; presigned evidence uploads go to S3 directly.
    const csp = contentSecurityPolicy({
      img: [evidenceHost],
      connect: [...new Set([signInOrigin, issuerOrigin]), evidenceHost],
      formAction: [signInOrigin],
      upgradeInsecureRequests: true,
    });
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Eco Liaison security headers',
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
        ],
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Eco Liaison site and API',
      defaultRootObject: 'index.html',
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        // LIST lets a missing page answer 404 instead of 403. No distribution-wide error pages:
        // they would also replace the API's own 403 / 404 JSON answers.
        origin: S3BucketOrigin.withOriginAccessControl(content, {
          originAccessLevels: [AccessLevel.READ, AccessLevel.LIST],
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new EdgeFunction(this, 'IndexRewrite', {
              code: FunctionCode.fromInline(INDEX_REWRITE),
              runtime: FunctionRuntime.JS_2_0,
              comment: 'Serve directory URLs from their index.html',
            }),
          },
        ],
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(`${this.httpApi.apiId}.execute-api.${region}.${this.urlSuffix}`, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Forwards Authorization too (allowed because caching is disabled), but not Host.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    this.siteUrl = `https://${this.distribution.distributionDomainName}`;
    this.acknowledgeEdgeFindings(props.webAclArn !== undefined);

    if (identity.kind === 'cognito') {
      this.consoleClient = this.cognitoConsoleClient(identity.userPool);
      this.clientId = this.consoleClient.userPoolClientId;
    } else {
      this.consoleClient = undefined;
      this.clientId = identity.clientId;
    }

    // The deployment handler's log group, with the deployment's retention (never "never expire").
    const deployLogs = new LogGroup(this, 'DeploymentLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    // Content-hashed assets: immutable for a year, never pruned (old pages may still load them).
    const deployAssets = new BucketDeployment(this, 'DeployAssets', {
      logGroup: deployLogs,
      sources: [Source.asset(props.siteDir)],
      destinationBucket: content,
      exclude: ['*'],
      include: [HASHED_ASSETS],
      prune: false,
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
    });
    // Pages and the runtime configuration: browsers revalidate, CloudFront keeps them until the next deploy.
    const deployPages = new BucketDeployment(this, 'DeployPages', {
      logGroup: deployLogs,
      sources: [
        Source.asset(props.siteDir),
        Source.jsonData('config.json', {
          // The browser finds the endpoints in the issuer's discovery document (Cognito's is at the
          // pool's issuer URL); Cognito's discovery names no end-session endpoint, so its managed
          // login domain's `/logout` is given for sign-out. The local gateway serves the same shape.
          auth: {
            issuer: this.issuer,
            clientId: this.clientId,
            ...(identity.kind === 'cognito'
              ? { signInDomain: signInOrigin, logoutEndpoint: `${signInOrigin}/logout` }
              : {}),
            scopes: [...CONSOLE_SCOPES],
            callbackPaths: [...SIGN_IN_PATHS],
            signOutPaths: [...SIGN_IN_PATHS],
          } satisfies AuthConfig,
        }),
      ],
      destinationBucket: content,
      exclude: [HASHED_ASSETS],
      cacheControl: [
        CacheControl.setPublic(),
        CacheControl.maxAge(Duration.seconds(0)),
        CacheControl.sMaxAge(Duration.days(1)),
        CacheControl.mustRevalidate(),
      ],
      distribution: this.distribution,
      distributionPaths: ['/*'],
    });

    // New pages go live (and the cache is flushed) only once the assets they load are there.
    deployPages.node.addDependency(deployAssets);
    this.acknowledgeDeploymentHandler(deployPages);

    new CfnOutput(this, 'SiteUrl', { value: this.siteUrl });
    new CfnOutput(this, 'ConsoleClientId', { value: this.clientId });
  }

  /**
   * The console's app client: a public client (no secret) for the authorization code flow only (no
   * implicit grant; the browser adds PKCE S256), callbacks on the site's own sign-in pages, and the
   * managed-login branding (Cognito's own look) that managed login version 2 needs per client.
   * Sign-in runs on managed login, which uses SRP for the password; refresh tokens rotate, so
   * REFRESH_TOKEN_AUTH is off (Cognito refuses it with rotation) and only the token endpoint renews.
   */
  private cognitoConsoleClient(userPool: IUserPool): UserPoolClient {
    const client = this.consoleClientOf(userPool);
    new CfnManagedLoginBranding(this, 'ConsoleLoginBranding', {
      userPoolId: userPool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    return client;
  }

  private consoleClientOf(userPool: IUserPool): UserPoolClient {
    return new UserPoolClient(this, 'ConsoleClient', {
      userPool,
      userPoolClientName: 'staff-console',
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: SIGN_IN_PATHS.map((path) => `${this.siteUrl}${path}`),
        logoutUrls: SIGN_IN_PATHS.map((path) => `${this.siteUrl}${path}`),
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // A working day: links opened from messages land without a password until the evening, and
      // a stolen refresh token is void by the next morning. Each use rotates it; the old one stays
      // usable for 60 s so two tabs refreshing at once do not sign each other out.
      refreshTokenValidity: Duration.hours(10),
      refreshTokenRotationGracePeriod: Duration.seconds(60),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('jurisdiction'),
      // Never `custom:jurisdiction`: a user must not widen their own scope.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
  }

  /** The deployment handler is aws-cdk-lib's own Lambda, shared by both deployments. */
  private acknowledgeDeploymentHandler(deployment: BucketDeployment): void {
    const role = deployment.handlerRole;
    const handler = role.node.scope as IConstruct;
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The runtime of the BucketDeployment handler is chosen by aws-cdk-lib (it bundles the AWS CLI); it runs only during deploys.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'aws-cdk-lib gives its BucketDeployment handler the basic execution role (CloudWatch Logs only).',
    });
    acknowledgeCdkWildcards(
      role,
      'Written by aws-cdk-lib for the BucketDeployment handler: read the site asset from the CDK asset bucket, sync it into ' +
        'the site bucket, and invalidate the distribution (CloudFront invalidation actions take no resource ARN).',
    );
  }

  private acknowledgeEdgeFindings(hasWebAcl: boolean): void {
    const nag = Validations.of(this.distribution);
    nag.acknowledge({
      id: 'Annotation::@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
      reason:
        'The root object is index.html and the viewer-request function maps every directory URL to its index.html, ' +
        'so no request reaches the bucket listing; LIST only turns missing pages into 404s.',
    });
    nag.acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The bureaus serve firms of one province; no country needs blocking, and geo rules would also block staff travelling.',
    });
    if (!hasWebAcl) {
      nag.acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'The web ACL (EcoLiaison-EdgeWaf, us-east-1) is attached once deployed, by -c webAclArn=<its output>; until ' +
          'then, and where CloudFront has no WAF, the API stage throttles public routes and the booking route limits ' +
          'each mobile number and USCC itself.',
      });
    }
    nag.acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'Every dynamic request is access-logged at the API stage (CloudWatch); the remaining traffic is static assets, ' +
        'so CloudFront standard logs would add a log bucket without adding evidence.',
    });
    nag.acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the viewer TLS policy; ' +
        'set a custom domain and certificate (TLSv1.2_2021) when the bureau has one.',
    });
  }
}
