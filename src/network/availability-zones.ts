/**
 * VPCs without an availability-zone lookup, so `cdk synth` needs no AWS credentials and gives the
 * same template with or without them.
 *
 * ec2.Vpc reads `Stack.availabilityZones` in its constructor even when `availabilityZones` is
 * given (https://github.com/aws/aws-cdk/issues/21690); for a stack with an explicit account and
 * region that getter is a context lookup, which the CLI can only answer with credentials for
 * that account ("Need to perform AWS calls for account ..."). The AWS CDK documents overriding
 * that getter as the way to choose AZs; `newVpc` overrides it on the stack only while ec2.Vpc is
 * constructed, with the AZs chosen here.
 */
import { ContextProvider, Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as cxschema from 'aws-cdk-lib/cloud-assembly-schema';
import { Construct } from 'constructs';
import { PropError } from '../private/validate';
import { WARNINGS, warn } from '../private/warnings';

/**
 * AZ IDs where EKS cannot place a cluster's network interfaces; their names differ per account.
 * Source: https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html ("The subnets can't
 * reside in the following Availability Zones").
 */
export const EKS_UNSUPPORTED_AZ_IDS: { readonly [region: string]: string } = {
  'us-east-1': 'use1-az3',
  'us-west-1': 'usw1-az2',
  'ca-central-1': 'cac1-az3',
};

/**
 * The AZs of a new VPC, in this order:
 * 1. `given` (the `availabilityZones` prop), checked;
 * 2. an environment-agnostic stack: the stack's own AZs (tokens, no lookup), as before;
 * 3. the AZs an earlier release looked up, if the app's context (cdk.context.json) still holds
 *    them: an existing environment keeps exactly the subnets it was deployed with;
 * 4. otherwise `Fn::Select(i, Fn::GetAZs(''))`: CloudFormation picks the first `count` AZs of the
 *    account at deploy time (the same list the lookup returned: alphabetical, available AZs).
 */
export function chooseAvailabilityZones(scope: Construct, count: number, given: string[] | undefined, prop: string): string[] {
  const stack = Stack.of(scope);
  if (given !== undefined) {
    validateAvailabilityZones(prop, given, stack.region);
    return given;
  }
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    return stack.availabilityZones.slice(0, count);
  }
  const { key } = ContextProvider.getKey(stack, { provider: cxschema.ContextProvider.AVAILABILITY_ZONE_PROVIDER });
  const cached = stack.node.tryGetContext(key);
  if (Array.isArray(cached) && cached.length > 0 && cached.every(az => typeof az === 'string')) {
    return cached.slice(0, count);
  }
  const unsupported = EKS_UNSUPPORTED_AZ_IDS[stack.region];
  if (unsupported) {
    warn(scope, WARNINGS.networkAvailabilityZones,
      `${prop} is not set: the VPC uses the first ${count} AZs CloudFormation lists for the account in ${stack.region}, `
      + `which may include ${unsupported}, where EKS cannot run (its name differs per account). Set ${prop} to names from `
      + `\`aws ec2 describe-availability-zones --region ${stack.region} --query "AvailabilityZones[?ZoneId!='${unsupported}'].ZoneName"\`.`);
  }
  return Array.from({ length: count }, (_, i) => Fn.select(i, Fn.getAzs()));
}

/** Fails unless `azs` names at least two distinct AZs of `region` (EKS needs two). */
export function validateAvailabilityZones(prop: string, azs: string[], region: string): void {
  if (azs.length < 2) {
    throw new PropError(`Invalid ${prop} [${azs.join(', ')}]: give at least 2 Availability Zone names (EKS needs subnets in two AZs), e.g. ['${Token.isUnresolved(region) ? 'eu-west-1' : region}a', '${Token.isUnresolved(region) ? 'eu-west-1' : region}b'].`);
  }
  const seen = new Set<string>();
  for (const az of azs) {
    if (Token.isUnresolved(az)) continue;
    if (seen.has(az)) throw new PropError(`Invalid ${prop}: '${az}' appears twice; each AZ gets one subnet of each type.`);
    seen.add(az);
    if (!Token.isUnresolved(region) && !(az.startsWith(region) && /^[a-z]$/.test(az.slice(region.length)))) {
      throw new PropError(`Invalid ${prop} '${az}': must be an Availability Zone name of the stack's region ${region} (${region}a, ${region}b, ...).`);
    }
  }
}

/**
 * `new ec2.Vpc(scope, id, { ...props, availabilityZones })` without the stack's AZ lookup: the
 * stack's `availabilityZones` getter is overridden only during the constructor (ec2.Vpc checks
 * the given AZs against it; nothing else reads it later).
 */
export function newVpc(scope: Construct, id: string, availabilityZones: string[], props: ec2.VpcProps): ec2.Vpc {
  const stack = Stack.of(scope);
  Object.defineProperty(stack, 'availabilityZones', { value: availabilityZones, configurable: true });
  try {
    return new ec2.Vpc(scope, id, { ...props, availabilityZones });
  } finally {
    delete (stack as { availabilityZones?: string[] }).availabilityZones;
  }
}
