import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { buildApp, type EcoLiaisonApp } from '../../infra/app-builder.ts';
import { type FunctionName, functions } from '../../shared/functions.ts';

export type Json = Record<string, unknown>;
export interface Resource {
  readonly Type: string;
  readonly Properties: Json;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** A stand-in for `site/dist`: the app only needs a folder with an index.html. */
export const fakeSiteDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'eco-site-'));
  mkdirSync(join(dir, '_astro'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Eco Liaison</title>');
  writeFileSync(join(dir, '_astro', 'app.abc123.js'), 'console.log(1);');
  return dir;
};

export interface Synthesized extends EcoLiaisonApp {
  readonly outdir: string;
  /** Set when synthesis threw (cdk-nag findings make it throw); the templates are still written. */
  readonly synthError: unknown;
  readonly templates: Record<string, Json>;
  readonly template: (stack: Stack) => Template;
  readonly resources: (stack: Stack, type: string) => [string, Resource][];
  /** Every resource of one type across all stacks, with its stack. */
  readonly everywhere: (type: string) => [Stack, string, Resource][];
  readonly cleanup: () => void;
}

export interface SynthesizeOptions {
  /** Extra CDK context, as `-c key=value` would give. */
  readonly context?: Record<string, unknown>;
  /** Skip bundling the functions (CDK's own `aws:cdk:bundling-stacks` switch): for tests of wiring only. */
  readonly skipBundling?: boolean;
}

/** The context every deployment must give (infra/operations.ts); tests may override each. */
export const REQUIRED_CONTEXT = { mailFrom: 'no-reply@eco.example.gov.cn', alarmEmail: 'ops@eco.example.gov.cn' };

/** Builds and synthesizes the whole app once, into a temporary folder. */
export const synthesize = (options: SynthesizeOptions = {}): Synthesized => {
  const siteDir = fakeSiteDir();
  const outdir = mkdtempSync(join(tmpdir(), 'eco-cdk-'));
  const context = {
    ...REQUIRED_CONTEXT,
    ...options.context,
    ...(options.skipBundling ? { 'aws:cdk:bundling-stacks': [] } : {}),
  };
  const built = buildApp({ siteDir, outdir, context });
  let synthError: unknown;
  try {
    built.app.synth();
  } catch (error) {
    synthError = error;
  }
  const assembly = new CloudAssembly(outdir);
  const stacks: Stack[] = [built.alarms, built.auth, built.site, built.data, built.api, built.schedules].filter(
    (stack): stack is NonNullable<typeof stack> => stack !== undefined,
  );
  const templates = Object.fromEntries(
    stacks.map((stack) => [stack.stackName, assembly.getStackByName(stack.stackName).template as Json]),
  );
  const resources = (stack: Stack, type: string): [string, Resource][] =>
    Object.entries(templates[stack.stackName]?.Resources as Record<string, Resource>).filter(
      ([, r]) => r.Type === type,
    );
  return {
    ...built,
    outdir,
    synthError,
    templates,
    template: (stack) => Template.fromJSON(templates[stack.stackName] as Json),
    resources,
    everywhere: (type) =>
      stacks.flatMap((stack) => resources(stack, type).map(([id, r]): [Stack, string, Resource] => [stack, id, r])),
    cleanup: () => {
      rmSync(siteDir, { recursive: true, force: true });
      rmSync(outdir, { recursive: true, force: true });
    },
  };
};

/**
 * Follows a cross-stack reference (`Fn::GetStackOutput`) to the value the producing
 * stack's output holds; any other value is returned as it is.
 */
export const followOutput = (templates: Record<string, Json>, value: unknown): unknown => {
  const ref = (value as { 'Fn::GetStackOutput'?: { StackName: string; OutputName: string } })['Fn::GetStackOutput'];
  if (!ref) return value;
  const outputs = templates[ref.StackName]?.Outputs as Record<string, { Value: unknown }> | undefined;
  const output = outputs?.[ref.OutputName];
  if (!output) throw new Error(`No output ${ref.OutputName} in ${ref.StackName}`);
  return output.Value;
};

export const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;

/** Our functions with their environment and the statements of their roles. */
export const wiring = (synth: Synthesized) =>
  (Object.keys(functions) as FunctionName[]).map((name) => {
    const [stack, , resource] = synth
      .everywhere('AWS::Lambda::Function')
      .find(([, , r]) => r.Properties.Description === functions[name].description) as [
      Synthesized['api'],
      string,
      Resource,
    ];
    const roleId = (resource.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const statements = synth
      .resources(stack, 'AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Json[] }).Statement);
    const variables = (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    return { name, stack, statements, variables };
  });
export const actionsOf = (statement: Json) => [statement.Action].flat() as string[];
