import { Stack, Validations } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
// cdk-nag's own rendering of a CloudFormation value in a finding id (`<Logical.Arn>/*`, …).
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';

/** The id cdk-nag gives a wildcard resource finding, e.g. `AwsSolutions-IAM5[Resource::<Fn.Arn>:*]`. */
export const wildcardResourceId = (scope: IConstruct, resource: string): string =>
  `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(resource))}]`;

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
}
const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Acknowledges, with one reason, each wildcard (AwsSolutions-IAM5) finding of the IAM policies
 * under `scope` as they stand now. Only for roles whose policies aws-cdk-lib writes for its own
 * handlers (e.g. BucketDeployment); call it after the grants are made. Our own functions'
 * grants are acknowledged one by one where they are made (grants.ts).
 */
export const acknowledgeCdkWildcards = (scope: IConstruct, reason: string): void => {
  for (const node of scope.node.findAll()) {
    if (!(node instanceof CfnPolicy)) continue;
    const document = Stack.of(node).resolve(node.policyDocument) as { Statement?: Statement[] };
    const findings = new Set<string>();
    for (const statement of document.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of list(statement.Action)) if (action.includes('*')) findings.add(`Action::${action}`);
      for (const resource of list(statement.Resource)) {
        const flat = flattenCfnReference(resource);
        if (flat.includes('*')) findings.add(`Resource::${flat}`);
      }
    }
    for (const finding of findings) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
};
