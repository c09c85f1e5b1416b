import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app-builder.ts';
import { AuthStack } from '../../infra/stacks/auth.ts';
import { SiteStack } from '../../infra/stacks/site.ts';
import {
  EDGE_WAF_REGION,
  EdgeWafStack,
  PUBLIC_API_PREFIX,
  PUBLIC_RATE_LIMIT_PER_5_MIN,
} from '../../infra/stacks/waf.ts';
import { routes } from '../../shared/routes.ts';
import { fakeSiteDir } from './support.ts';

// Rule 13 at the edge: one address cannot flood the public routes. HTTP APIs take no web ACL, so
// it is CloudFront's, made in us-east-1 (scope CLOUDFRONT), and cdk-nag must stay clean.
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Synthesizes an app with cdk-nag on: answers the error synth threw (nag findings throw), if any. */
const synthWithNag = (app: App) => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
    return undefined;
  } catch (error) {
    return error;
  }
};

const ACL_ARN =
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/eco-liaison-edge/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

describe('edge web ACL (rule 13: one client cannot flood a public route)', () => {
  it('limits each address on every public API path, refusing with 429 RATE_LIMITED and Retry-After, in us-east-1', () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), 'eco-waf-'));
    made.push(outdir);
    const app = new App({ outdir });
    const stack = new EdgeWafStack(app, 'Waf', { env: { region: EDGE_WAF_REGION } });

    // Act
    const nagError = synthWithNag(app);
    const template = Template.fromStack(stack);

    // Assess
    expect(nagError).toBeUndefined();
    expect(stack.region).toBe('us-east-1');
    expect(routes.filter((r) => r.path.startsWith(PUBLIC_API_PREFIX)).length).toBeGreaterThan(0);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Statement: {
            RateBasedStatement: {
              AggregateKeyType: 'IP',
              Limit: PUBLIC_RATE_LIMIT_PER_5_MIN,
              EvaluationWindowSec: 300,
              ScopeDownStatement: {
                ByteMatchStatement: Match.objectLike({
                  FieldToMatch: { UriPath: {} },
                  PositionalConstraint: 'STARTS_WITH',
                  SearchString: PUBLIC_API_PREFIX,
                }),
              },
            },
          },
          Action: {
            Block: {
              CustomResponse: {
                ResponseCode: 429,
                CustomResponseBodyKey: 'rateLimited',
                ResponseHeaders: [{ Name: 'retry-after', Value: '300' }],
              },
            },
          },
        }),
      ],
    });
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0] as {
      Properties: { CustomResponseBodies: { rateLimited: { Content: string } } };
    };
    expect(JSON.parse(acl.Properties.CustomResponseBodies.rateLimited.Content).error.code).toBe('RATE_LIMITED');
  });

  it('attaches the web ACL to the distribution when given, and cdk-nag needs no WAF acknowledgement then', () => {
    // Prepare
    const siteDir = fakeSiteDir();
    const outdir = mkdtempSync(join(tmpdir(), 'eco-waf-site-'));
    made.push(siteDir, outdir);
    const app = new App({ outdir });
    const auth = new AuthStack(app, 'Auth', {});
    const site = new SiteStack(app, 'Site', {
      siteDir,
      identity: { kind: 'cognito', userPool: auth.userPool, signInDomain: auth.domain, issuer: auth.issuer },
      webAclArn: ACL_ARN,
    });

    // Act
    const nagError = synthWithNag(app);

    // Assess
    expect(nagError).toBeUndefined();
    Template.fromStack(site).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: ACL_ARN }),
    });
  });

  it('refuses a webAclArn that is not a CloudFront-scope web ACL in us-east-1', () => {
    // Act / Assess: a regional ACL (eu-west-1, regional/webacl) cannot guard CloudFront.
    expect(() =>
      buildApp({
        siteDir: fakeSiteDir(),
        context: {
          webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        },
      }),
    ).toThrow(/CLOUDFRONT-scope/);
  });
});
