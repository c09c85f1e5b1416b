import { rmSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app-builder.ts';
import { cronOptions } from '../../infra/stacks/schedules.ts';
import { INDEX_REWRITE } from '../../infra/stacks/site.ts';
import { schedules } from '../../shared/schedules.ts';
import { DEFAULT_ROBOT_HOSTS, robotHostsFrom } from '../../shared/webhooks.ts';
import { fakeSiteDir, REQUIRED_CONTEXT } from './support.ts';

/** The environment of each API function (those that read the table) synthesized with `context`. */
const apiFunctionVariables = (siteDir: string, context: Record<string, unknown>) => {
  const built = buildApp({ siteDir, context: { ...REQUIRED_CONTEXT, ...context, 'aws:cdk:bundling-stacks': [] } });
  return Object.values(Template.fromStack(built.api).findResources('AWS::Lambda::Function'))
    .map((fn) => (fn.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>)
    .filter((variables) => 'TABLE_NAME' in variables);
};

describe('cronOptions', () => {
  it('gives back the same six-field expression through CDK', () => {
    // Prepare
    const crons = [
      ...schedules.map((s) => s.cron),
      '0 9 ? * MON-FRI *',
      '30 1 20 * ? *',
      '0 0 1 1 ? 2030',
      '*/15 * * * ? *',
    ];

    // Act
    const written = crons.map((cron) => ScheduleExpression.cron(cronOptions(cron)).expressionString);

    // Assess
    expect(written).toEqual(crons.map((cron) => `cron(${cron})`));
  });

  it('refuses an expression Scheduler would not run', () => {
    expect(() => cronOptions('0 8 * * *')).toThrow(/6 fields/);
    expect(() => cronOptions('0 8 * * * *')).toThrow(/"\?"/);
  });
});

describe('CloudFront index rewrite', () => {
  // The function's source is evaluated as CloudFront would run it.
  const handler = new Function(`${INDEX_REWRITE}\nreturn handler;`)() as (event: { request: { uri: string } }) => {
    uri: string;
  };
  const rewrite = (uri: string) => handler({ request: { uri } }).uri;

  it('serves directory URLs, with or without the trailing slash, from their index.html', () => {
    expect(rewrite('/')).toBe('/index.html');
    expect(rewrite('/staff/sign-in/')).toBe('/staff/sign-in/index.html');
    expect(rewrite('/staff/sign-in')).toBe('/staff/sign-in/index.html');
    expect(rewrite('/en')).toBe('/en/index.html');
  });

  it('leaves files alone', () => {
    expect(rewrite('/_astro/app.abc123.js')).toBe('/_astro/app.abc123.js');
    expect(rewrite('/config.json')).toBe('/config.json');
    expect(rewrite('/v1.2/page')).toBe('/v1.2/page/index.html');
  });
});

describe('robotHosts context', () => {
  it('defaults to WeCom’s and DingTalk’s robot hosts and takes a list of plain host names', () => {
    expect(robotHostsFrom(undefined)).toEqual([...DEFAULT_ROBOT_HOSTS]);
    expect(robotHostsFrom(' ')).toEqual([...DEFAULT_ROBOT_HOSTS]);
    expect(robotHostsFrom('robots.example.gov.cn, qyapi.weixin.qq.com')).toEqual([
      'robots.example.gov.cn',
      'qyapi.weixin.qq.com',
    ]);
  });

  it('refuses addresses, ports, paths, wildcards and anything but lowercase ASCII names, before building a stack', () => {
    // Prepare
    const bad = [
      '169.254.169.254',
      '10.0.0.1',
      'localhost',
      '[::1]',
      'qyapi.weixin.qq.com:8443',
      'qyapi.weixin.qq.com/cgi-bin',
      'user@qyapi.weixin.qq.com',
      '*.qq.com',
      '.qq.com',
      'QYAPI.weixin.qq.com',
      'qyapi.weixin.qq.com.',
      'ｑyapi.weixin.qq.com',
      'qyapi.weixin.qq.com,',
    ];
    const siteDir = fakeSiteDir();

    // Act / Assess: each one fails fast, naming the setting.
    try {
      for (const value of bad) {
        expect(() => robotHostsFrom(value), value).toThrow(/robotHosts/);
        expect(() => buildApp({ siteDir, context: { robotHosts: value } }), value).toThrow(/robotHosts/);
      }
    } finally {
      rmSync(siteDir, { recursive: true, force: true });
    }
  });
});

describe('leaderVisitLevels context', () => {
  it('refuses levels that are not county, city or province, before building a stack', () => {
    // Prepare
    const siteDir = fakeSiteDir();
    try {
      for (const value of ['county,town', 'City', ' , ', 'province;city']) {
        // Act / Assess: the synth fails naming the setting, not the first quarterly job.
        expect(() => buildApp({ siteDir, context: { ...REQUIRED_CONTEXT, leaderVisitLevels: value } }), value).toThrow(
          /leaderVisitLevels/,
        );
      }
    } finally {
      rmSync(siteDir, { recursive: true, force: true });
    }
  });

  it('hands the named levels to the functions, and nothing when the default applies', () => {
    // Prepare
    const siteDir = fakeSiteDir();
    const variablesOf = (context: Record<string, unknown>) => apiFunctionVariables(siteDir, context);
    try {
      // Act
      const named = variablesOf({ leaderVisitLevels: 'county, city,province' });
      const defaulted = variablesOf({});

      // Assess
      expect(named.length).toBeGreaterThan(0);
      for (const variables of named) expect(variables.LEADER_VISIT_LEVELS).toBe('county,city,province');
      for (const variables of defaulted) expect(variables).not.toHaveProperty('LEADER_VISIT_LEVELS');
    } finally {
      rmSync(siteDir, { recursive: true, force: true });
    }
  });
});

describe('checkupIntervalMonths context', () => {
  it('refuses anything but whole months from 1 to 60, before building a stack', () => {
    // Prepare
    const siteDir = fakeSiteDir();
    try {
      for (const value of ['0', '61', '1.5', 'twelve', '-3']) {
        // Act / Assess: the synth fails naming the setting, not the first list of check-ups due.
        expect(
          () => buildApp({ siteDir, context: { ...REQUIRED_CONTEXT, checkupIntervalMonths: value } }),
          value,
        ).toThrow(/checkupIntervalMonths/);
      }
    } finally {
      rmSync(siteDir, { recursive: true, force: true });
    }
  });

  it('hands the named interval to the functions, and nothing when the default applies', () => {
    // Prepare
    const siteDir = fakeSiteDir();
    const variablesOf = (context: Record<string, unknown>) => apiFunctionVariables(siteDir, context);
    try {
      // Act
      const named = variablesOf({ checkupIntervalMonths: '6' });
      const defaulted = variablesOf({});

      // Assess
      expect(named.length).toBeGreaterThan(0);
      for (const variables of named) expect(variables.CHECKUP_INTERVAL_MONTHS).toBe('6');
      for (const variables of defaulted) expect(variables).not.toHaveProperty('CHECKUP_INTERVAL_MONTHS');
    } finally {
      rmSync(siteDir, { recursive: true, force: true });
    }
  });
});

describe('coverageTarget context', () => {
  it('refuses anything but a whole number from 1 to 1000, before building a stack', () => {
    // Prepare
    const siteDir = fakeSiteDir();
    try {
      for (const value of ['0', '1001', '9.5', 'ten', '-1']) {
        // Act / Assess: the synth fails naming the setting, not the first coverage page.
        expect(() => buildApp({ siteDir, context: { ...REQUIRED_CONTEXT, coverageTarget: value } }), value).toThrow(
          /coverageTarget/,
        );
      }
    } finally {
      rmSync(siteDir, { recursive: true, force: true });
    }
  });

  it('hands the named target to the functions, and nothing when the default applies', () => {
    // Prepare
    const siteDir = fakeSiteDir();
    const variablesOf = (context: Record<string, unknown>) => apiFunctionVariables(siteDir, context);
    try {
      // Act
      const named = variablesOf({ coverageTarget: '12' });
      const defaulted = variablesOf({});

      // Assess
      expect(named.length).toBeGreaterThan(0);
      for (const variables of named) expect(variables.COVERAGE_TARGET).toBe('12');
      for (const variables of defaulted) expect(variables).not.toHaveProperty('COVERAGE_TARGET');
    } finally {
      rmSync(siteDir, { recursive: true, force: true });
    }
  });
});
