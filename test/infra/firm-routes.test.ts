import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET_ACTIONS, TABLE_ACTIONS } from '../../infra/constructs/grants.ts';
import { FIRM_AUDIENCE, FIRM_ISSUER_PATH } from '../../shared/firm-issuer.ts';
import { functions } from '../../shared/functions.ts';
import { isFirm, isPublic, type RouteDef, routeKey, routes } from '../../shared/routes.ts';
import { followOutput, type Json, type Resource, type Synthesized, synthesize, wiring } from './support.ts';

// Issue 16: firm routes (/api/firm/…) sit behind a JWT authorizer of the product's own firm issuer,
// staff routes behind the staff issuer's: API Gateway refuses a token of one kind on the other's routes.
describe('the firm routes’ authorizer', () => {
  let synth: Synthesized;
  let api: Template;
  beforeAll(() => {
    synth = synthesize({ skipBundling: true });
    api = Template.fromJSON(synth.templates[synth.api.stackName] as Json);
  });
  afterAll(() => synth?.cleanup());

  const authorizers = () => synth.resources(synth.api, 'AWS::ApiGatewayV2::Authorizer');
  const audienceOf = (r: Resource) => (r.Properties.JwtConfiguration as { Audience: unknown[] }).Audience;
  const firmAuthorizerId = () => {
    const found = authorizers().filter(([, r]) => JSON.stringify(audienceOf(r)) === JSON.stringify([FIRM_AUDIENCE]));
    expect(found).toHaveLength(1);
    return (found[0] as [string, Resource])[0];
  };

  it('trusts the firm issuer at the site’s origin, for firm tokens only, and cdk-nag passes', () => {
    // Assess
    expect(synth.synthError).toBeUndefined();
    expect(authorizers()).toHaveLength(2);
    api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Audience: [FIRM_AUDIENCE], Issuer: Match.anyValue() },
    });
    const [, firm] = authorizers().find(([id]) => id === firmAuthorizerId()) as [string, Resource];
    type Joined = { 'Fn::Join': [string, unknown[]] };
    const issuer = followOutput(
      synth.templates,
      (firm.Properties.JwtConfiguration as { Issuer: unknown }).Issuer,
    ) as Joined;
    const siteUrl = followOutput(
      synth.templates,
      wiring(synth).find((f) => f.name === 'firm')?.variables.SITE_URL,
    ) as Joined;
    // `https://<the distribution's domain>/api/public/firm-issuer`: the SITE_URL the tokens are issued under.
    expect(issuer['Fn::Join'][1]).toEqual([...siteUrl['Fn::Join'][1], FIRM_ISSUER_PATH]);
    expect(siteUrl['Fn::Join'][1][0]).toBe('https://');
  });

  it('puts the firm authorizer on every firm route and on nothing else; staff routes keep the staff one', () => {
    // Prepare
    const firmId = firmAuthorizerId();
    const byKey = new Map(
      synth.resources(synth.api, 'AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey, r]),
    );
    const authorizerOf = (route: RouteDef) => (byKey.get(routeKey(route))?.Properties.AuthorizerId as Json)?.Ref;

    // Act / Assess
    const firmRoutes = (routes as readonly RouteDef[]).filter(isFirm);
    expect(firmRoutes.map((r) => r.id)).toContain('firmMe.get');
    for (const route of routes as readonly RouteDef[]) {
      if (isPublic(route)) continue;
      expect(byKey.get(routeKey(route))?.Properties.AuthorizationType, routeKey(route)).toBe('JWT');
      if (isFirm(route)) expect(authorizerOf(route), routeKey(route)).toBe(firmId);
      else expect(authorizerOf(route), routeKey(route)).not.toBe(firmId);
    }
  });

  it('runs the firm routes in their own function that may use the table and read files, nothing else', () => {
    // Prepare
    const firm = wiring(synth).find((f) => f.name === 'firm');
    const actions = (firm?.statements ?? []).flatMap((s) => [s.Action].flat() as string[]);

    // Assess
    // Firms submit (self-inspections, check-up requests): the table, never keys or channels; reading
    // files only to presign the GET of a report's signature image (issue 20); writing only the
    // presigned PUT of a photo into `unattached/` (S3 checks a presigned URL against its signer).
    expect(functions.firm.grants).toEqual({ table: 'readWrite', bucket: 'read', uploads: true });
    expect(actions.length).toBeGreaterThan(0);
    // Logs and X-Ray aside, only the table's reads and writes.
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(
      [...TABLE_ACTIONS.read, ...TABLE_ACTIONS.write].sort(),
    );
    expect(actions.filter((a) => a.startsWith('s3:')).sort()).toEqual([...BUCKET_ACTIONS.read, 's3:PutObject'].sort());
    const uploads = (firm?.statements ?? []).find((s) => s.Sid === 'BucketUploads');
    expect(JSON.stringify(uploads?.Resource)).toContain('/unattached/*');
    expect(actions.filter((a) => a === 's3:PutObject')).toHaveLength(1);
    expect(actions.filter((a) => /^(kms|ses|sns|cognito-idp|secretsmanager):/.test(a))).toEqual([]);
  });
});
