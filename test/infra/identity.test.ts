import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app-builder.ts';
import { identitySettingsFrom } from '../../infra/identity.ts';
import { FIRM_AUDIENCE } from '../../shared/firm-issuer.ts';
import { functions } from '../../shared/functions.ts';
import { fakeSiteDir, type Json, type Resource, readJson, type Synthesized, synthesize } from './support.ts';

const ISSUER = 'https://id.example.gov.cn/oidc';
const CLIENT_ID = 'eco-liaison-console';
const EXTERNAL = {
  oidcIssuer: ISSUER,
  oidcAudience: CLIENT_ID,
  oidcGroupsClaim: 'roles',
  oidcJurisdictionClaim: 'https://id.example.gov.cn/district',
  oidcUsernameClaim: 'employee_no',
};

describe('identity settings (CDK context), checked before any stack is built', () => {
  const settings = (context: Record<string, unknown>) => identitySettingsFrom((key) => context[key]);

  it('defaults to the stack’s own Cognito pool with the Cognito claim names', () => {
    expect(settings({})).toEqual({
      kind: 'cognito',
      claims: { groups: 'cognito:groups', jurisdiction: 'custom:jurisdiction', username: undefined },
    });
    expect(settings(EXTERNAL)).toEqual({
      kind: 'external',
      issuer: ISSUER,
      audience: CLIENT_ID,
      claims: { groups: 'roles', jurisdiction: 'https://id.example.gov.cn/district', username: 'employee_no' },
    });
  });

  it('refuses an issuer that is not an https URL, or has a user, query or fragment', () => {
    // Prepare
    const bad = [
      'http://id.example.gov.cn/oidc',
      'id.example.gov.cn',
      'https://',
      'https://id.example.gov.cn/oidc?tenant=1',
      'https://id.example.gov.cn/oidc?',
      'https://id.example.gov.cn/oidc#x',
      'https://admin:pw@id.example.gov.cn/oidc',
      'https://id.example.gov.cn/o idc',
      'javascript:alert(1)',
      'ftp://id.example.gov.cn',
      42,
      '',
    ];

    // Act / Assess
    for (const oidcIssuer of bad) {
      expect(() => settings({ ...EXTERNAL, oidcIssuer }), String(oidcIssuer)).toThrow(/oidcIssuer/);
    }
  });

  it('needs a single client id with an external issuer, and no audience or Cognito domain without one', () => {
    expect(() => settings({ oidcIssuer: ISSUER })).toThrow(/oidcAudience/);
    expect(() => settings({ ...EXTERNAL, oidcAudience: ' ' })).toThrow(/oidcAudience/);
    expect(() => settings({ ...EXTERNAL, oidcAudience: 'a,b' })).toThrow(/oidcAudience/);
    expect(() => settings({ ...EXTERNAL, oidcAudience: 'two words' })).toThrow(/oidcAudience/);
    expect(() => settings({ ...EXTERNAL, oidcAudience: 'x'.repeat(257) })).toThrow(/oidcAudience/);
    expect(() => settings({ oidcAudience: CLIENT_ID })).toThrow(/oidcAudience.*oidcIssuer/);
    expect(() => settings({ ...EXTERNAL, authDomainPrefix: 'eco' })).toThrow(/authDomainPrefix/);
  });

  it('refuses claim names that are not plain names or URLs, registered claims, and one claim for two things', () => {
    // Prepare
    const bad = ['', 'two words', 'roles;drop', '1roles', 'rôles', 'sub', 'aud', 'iss', 'x'.repeat(129), '{roles}'];

    // Act / Assess
    for (const name of bad) {
      for (const key of ['oidcGroupsClaim', 'oidcJurisdictionClaim', 'oidcUsernameClaim']) {
        expect(() => settings({ ...EXTERNAL, [key]: name }), `${key}=${name}`).toThrow(new RegExp(key));
      }
    }
    expect(() => settings({ oidcGroupsClaim: 'custom:jurisdiction' })).toThrow(/oidcJurisdictionClaim/);
    expect(() => settings({ ...EXTERNAL, oidcUsernameClaim: 'roles' })).toThrow(/oidcUsernameClaim/);
  });

  it('fails the synth itself, naming the setting', () => {
    const siteDir = fakeSiteDir();
    try {
      expect(() => buildApp({ siteDir, context: { ...EXTERNAL, oidcIssuer: 'http://id.example.gov.cn' } })).toThrow(
        /oidcIssuer/,
      );
      expect(() => buildApp({ siteDir, context: { oidcGroupsClaim: 'groups here' } })).toThrow(/oidcGroupsClaim/);
    } finally {
      rmSync(siteDir, { recursive: true, force: true });
    }
  });
});

describe('a deployment on an external OpenID Connect issuer', () => {
  // Wiring only: the functions are not bundled (app.test.ts checks the bundles of the default app).
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({ context: EXTERNAL, skipBundling: true });
  });
  afterAll(() => synth?.cleanup());

  const ourFunctions = () =>
    synth
      .everywhere('AWS::Lambda::Function')
      .filter(([, , r]) => Object.values(functions).some((def) => def.description === r.Properties.Description));

  it('creates no Cognito user pool, client or domain, and no Auth stack', () => {
    // Act
    const cognito = Object.values(synth.templates).flatMap((t) =>
      Object.values((t.Resources ?? {}) as Record<string, Resource>).filter((r) => r.Type.startsWith('AWS::Cognito::')),
    );

    // Assess
    expect(synth.auth).toBeUndefined();
    expect(Object.keys(synth.templates)).not.toContain('EcoLiaison-Auth');
    expect(cognito).toEqual([]);
    expect(JSON.stringify(synth.templates)).not.toContain('cognito-idp');
  });

  it('trusts the configured issuer and audience in the JWT authorizer', () => {
    // Act
    // (the firm issuer's authorizer, for firm tokens, is the other one: test/infra/firm-routes.test.ts)
    const authorizers = synth
      .resources(synth.api, 'AWS::ApiGatewayV2::Authorizer')
      .filter(([, r]) => !JSON.stringify(r.Properties.JwtConfiguration).includes(FIRM_AUDIENCE));

    // Assess
    expect(authorizers).toHaveLength(1);
    const [, authorizer] = authorizers[0] as [string, Resource];
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: ISSUER, Audience: [CLIENT_ID] },
      IdentitySource: ['$request.header.Authorization'],
    });
  });

  it('hands every function the claim names and no user pool', () => {
    // Act
    const found = ourFunctions();

    // Assess
    expect(found).toHaveLength(Object.keys(functions).length);
    for (const [, id, fn] of found) {
      const variables = (fn.Properties.Environment as { Variables: Json }).Variables;
      expect(variables, id).toMatchObject({
        GROUPS_CLAIM: 'roles',
        JURISDICTION_CLAIM: 'https://id.example.gov.cn/district',
        USERNAME_CLAIM: 'employee_no',
      });
      expect(variables, id).not.toHaveProperty('USER_POOL_ID');
      // The staff function records staff members from their tokens, so they can be disabled here.
      if (String(fn.Properties.Description) === functions.staff.description)
        expect(variables, id).toHaveProperty('RECORD_ISSUER_ACCOUNTS', '1');
      else expect(variables, id).not.toHaveProperty('RECORD_ISSUER_ACCOUNTS');
    }
  });

  it('publishes the issuer and client id in /config.json, and lets the browser reach the issuer', () => {
    // Prepare: config.json is written into an asset folder when its values are plain strings.
    const configs = readdirSync(synth.outdir)
      .filter((name) => name.startsWith('asset.'))
      .flatMap((dir) => {
        try {
          return [JSON.parse(readFileSync(join(synth.outdir, dir, 'config.json'), 'utf8')) as Json];
        } catch {
          return [];
        }
      });
    const [[, policy]] = synth.resources(synth.site, 'AWS::CloudFront::ResponseHeadersPolicy') as [[string, Resource]];
    const csp = JSON.stringify(policy.Properties.ResponseHeadersPolicyConfig);

    // Assess
    expect(configs).toEqual([
      {
        auth: {
          issuer: ISSUER,
          clientId: CLIENT_ID,
          scopes: ['openid', 'email', 'profile'],
          callbackPaths: ['/staff/sign-in/', '/en/staff/sign-in/'],
          signOutPaths: ['/staff/sign-in/', '/en/staff/sign-in/'],
        },
      },
    ]);
    expect(csp).toMatch(/connect-src 'self' https:\/\/id\.example\.gov\.cn /);
    expect(csp).toMatch(/form-action 'self' https:\/\/id\.example\.gov\.cn;/);
  });

  it('is clean under cdk-nag (AwsSolutions) and template validation', () => {
    // Act
    const report = readJson(join(synth.outdir, 'validation-report.json')) as {
      pluginReports: { pluginName?: string; violations?: { severity: string; ruleName: string }[] }[];
    };
    const violations = report.pluginReports.flatMap((p) =>
      (p.violations ?? []).map((v) => `${p.pluginName ?? '?'}: ${v.severity} ${v.ruleName}`),
    );

    // Assess
    expect(violations).toEqual([]);
    expect(synth.synthError).toBeUndefined();
  });
});
