import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { ErrorEnvelope } from '../../shared/api-errors.ts';

/** CloudFront takes only web ACLs of scope CLOUDFRONT, and those live in us-east-1 whatever the product's region. */
export const EDGE_WAF_REGION = 'us-east-1';

/** The public API's path prefix, as the route table gives it (shared/routes.ts). */
export const PUBLIC_API_PREFIX = '/api/public/';

/**
 * Requests one address may send to the public API in any 5 minutes before the edge refuses it.
 * A person booking sends a handful (the list, a booking, its page, the .ics); 300 leaves room for
 * an office of many behind one NAT address, while 200 bookings in 4 s from one client stop after
 * the first ~300 requests in any 5 minutes (WAF counts in 1-minute steps; a burst may pass its
 * first minute). The per-mobile and per-USCC limits of the booking route itself
 * (functions/lib/consultation/bookings.ts) still hold behind it, and are all there is where no WAF is (the
 * local runtime, AWS China regions).
 */
export const PUBLIC_RATE_LIMIT_PER_5_MIN = 300;

/** The edge's refusal reads as the API's own: 429 RATE_LIMITED with `Retry-After`. */
const REFUSAL_BODY = JSON.stringify({
  error: { code: 'RATE_LIMITED', message: 'Too many requests from this address; try again in a few minutes' },
} satisfies ErrorEnvelope);

/**
 * The web ACL of the distribution (rule 13: one client cannot flood a public route). HTTP APIs
 * cannot take a web ACL, so it sits on CloudFront, the product's one origin; CloudFront's ACLs
 * must be made in us-east-1, hence a stack of its own there. Its ARN goes to the Site stack as the
 * `webAclArn` context after this stack is deployed (see app-builder.ts), since the Site stack has
 * no fixed region to reference it across. A web ACL costs a monthly fee; `-c edgeWaf=false` leaves
 * it out (e.g. where CloudFront has no WAF).
 */
export class EdgeWafStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.webAcl = new CfnWebACL(this, 'EdgeAcl', {
      name: 'eco-liaison-edge',
      description: 'Eco Liaison: per-address rate limit on the public API',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      customResponseBodies: {
        rateLimited: { contentType: 'APPLICATION_JSON', content: REFUSAL_BODY },
      },
      rules: [
        {
          name: 'public-api-per-address',
          priority: 0,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: PUBLIC_RATE_LIMIT_PER_5_MIN,
              evaluationWindowSec: 300,
              scopeDownStatement: {
                byteMatchStatement: {
                  fieldToMatch: { uriPath: {} },
                  positionalConstraint: 'STARTS_WITH',
                  searchString: PUBLIC_API_PREFIX,
                  textTransformations: [{ priority: 0, type: 'NONE' }],
                },
              },
            },
          },
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'rateLimited',
                responseHeaders: [{ name: 'retry-after', value: '300' }],
              },
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'EcoLiaisonPublicApiPerAddress',
            sampledRequestsEnabled: true,
          },
        },
      ],
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: 'EcoLiaisonEdge',
        sampledRequestsEnabled: true,
      },
    });
    new CfnOutput(this, 'WebAclArn', {
      value: this.webAcl.attrArn,
      description: 'Pass to the Site stack: npx cdk deploy --all -c webAclArn=<this value>',
    });
  }
}
