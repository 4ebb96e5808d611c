/**
 * cdk-nag acknowledgements of grants (not exported from the package): the IAM5 findings of a
 * grant that is wide by design are acknowledged on the policy the grant wrote into.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { acknowledge } from './nag';

/**
 * Where the statements granted to `grantee` land: the inline policies of its principal, i.e. the
 * `iam.Policy` children that aws-cdk-lib's `addToPrincipalPolicy` creates on first use (a role's,
 * user's or group's `DefaultPolicy`, an imported role's `Policy`), found by type. A principal
 * without one (e.g. the grant added nothing) is returned itself, so an acknowledgement still
 * covers whatever is below it. Not a construct (an ARN or service principal): nothing.
 *
 * (The `iam.Grant` result does not tell: in aws-cdk-lib 2.257 (aws-iam/lib/role.js) a Role returns an empty
 * `DependencyGroup` as `policyDependable`, filled only if the policy is split at synth.)
 */
export function grantPolicies(grantee: iam.IGrantable): IConstruct[] {
  const principal: unknown = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal)) return [];
  const policies = principal.node.children.filter(child => child instanceof iam.Policy);
  return policies.length > 0 ? policies : [principal];
}

/**
 * Acknowledges the cdk-nag findings `AwsSolutions-IAM5[<finding>]` of a grant to `grantee`, with
 * `reason`, on the policy the grant wrote into. `findings` may be a function of that policy, for a
 * finding that holds a CloudFormation value written the way cdk-nag writes it (`nagValue(policy, arn)`).
 */
export function acknowledgeGrant(grantee: iam.IGrantable, findings: string[] | ((policy: IConstruct) => string[]), reason: string): void {
  for (const policy of grantPolicies(grantee)) {
    const ids = typeof findings === 'function' ? findings(policy) : findings;
    acknowledge(policy, ...ids.map(finding => ({ id: `AwsSolutions-IAM5[${finding}]`, reason })));
  }
}
