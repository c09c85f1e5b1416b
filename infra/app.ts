import { buildApp } from './app-builder.ts';

/**
 * `npx cdk synth` / `npx cdk deploy` entry point (cdk.json runs `npm run build:site` first).
 * Context: `siteDir` (default site/dist), `mailFrom`, `authDomainPrefix`, `reminderDay`, `qualifyingModes`,
 * `robotHosts` (default qyapi.weixin.qq.com,oapi.dingtalk.com).
 */
buildApp().app.synth();
