import { buildApp } from './app-builder.ts';

/**
 * `npx cdk synth` / `npx cdk deploy` entry point (cdk.json runs `npm run build:site` first).
 * Required context (checked at synth; see infra/operations.ts): `mailFrom` (the SES-verified sender) and
 * `alarmEmail` (subscribed to the alarm topic); `logRetentionDays` (default 180, never fewer: 网络安全法 §21).
 * Context: `siteDir` (default site/dist), `authDomainPrefix`, `reminderDay`, `qualifyingModes`,
 * `robotHosts` (default qyapi.weixin.qq.com,oapi.dingtalk.com), `leaderVisitLevels` (default city,province),
 * `checkupIntervalMonths` (default 12: months between a paired firm's check-ups), `coverageTarget` (default 10:
 * pairings each county is expected to hold in a service year, for the coverage page).
 * Staff sign-in (checked at synth; see infra/identity.ts): by default the stack's own Cognito pool and console
 * client. `oidcIssuer` (https URL, exactly the tokens' `iss`) with `oidcAudience` (the console's client id there)
 * trusts an external OpenID Connect issuer instead: then no Cognito pool is created and creating staff accounts
 * answers 409 ACCOUNTS_AT_ISSUER. `oidcGroupsClaim` (default cognito:groups), `oidcJurisdictionClaim` (default
 * custom:jurisdiction) and `oidcUsernameClaim` (default: cognito:username, preferred_username, username, sub)
 * name the claims the functions read.
 */
buildApp().app.synth();
