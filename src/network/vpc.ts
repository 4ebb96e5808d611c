/** The VPC of a ScopeEnvironment: the given one, or a new one in the AZs chosen without a lookup. */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { chooseAvailabilityZones, newVpc } from './availability-zones';
import { PropError } from '../private/validate';

/** The network props as the user gave them (the same names in ScopeEnvironmentProps and ScopeClusterProps). */
export interface NetworkChoice {
  /** The user's VPC, if any. */
  readonly vpc?: ec2.IVpc;
  /** AZ names for the VPC the construct creates. */
  readonly availabilityZones?: string[];
  /** Flow logs on the VPC the construct creates. */
  readonly vpcFlowLogs?: boolean;
}

/**
 * Fails if a prop that only shapes the VPC `owner` creates (`availabilityZones`, `vpcFlowLogs`)
 * is given together with the user's own `vpc`. `owner` names the construct in the message.
 */
export function checkNetworkChoice(owner: string, choice: NetworkChoice): void {
  if (choice.vpc && choice.availabilityZones) {
    throw new PropError(`Invalid availabilityZones: only for the VPC ${owner} creates; remove it or remove vpc (your VPC already has its AZs).`);
  }
  if (choice.vpc && choice.vpcFlowLogs !== undefined) {
    throw new PropError(`Invalid vpcFlowLogs: it applies only to the VPC that ${owner} creates; turn flow logs on for the vpc you pass yourself.`);
  }
}

/**
 * Fails unless the user's `vpc` has what ScopeEnvironment places in it: private subnets with
 * egress (SubnetType.PRIVATE_WITH_EGRESS) for the nodes, the kubectl functions and the database,
 * and (with a frontend) public subnets for the internet-facing load balancer. Checked by the
 * environment under its own prop name `vpc` before any part sees the VPC.
 */
export function checkEnvironmentVpc(vpc: ec2.IVpc | undefined, frontend: boolean): void {
  if (!vpc) return;
  if (vpc.privateSubnets.length === 0) {
    const has = vpc.publicSubnets.length > 0 ? 'public' : vpc.isolatedSubnets.length > 0 ? 'isolated' : 'no';
    throw new PropError(`Invalid vpc: it has ${has} subnets only; ScopeEnvironment needs private subnets with egress `
      + '(SubnetType.PRIVATE_WITH_EGRESS, with a NAT gateway) for the worker nodes and the database, and public subnets for the frontend load balancer.');
  }
  if (frontend && vpc.publicSubnets.length === 0) {
    throw new PropError('Invalid vpc: it has no public subnets; the frontend load balancer is internet-facing and needs public subnets '
      + '(SubnetType.PUBLIC). Add them, or turn the frontend off with cluster.frontend.enabled: false.');
  }
}

/** What buildEnvironmentVpc needs: the user's choice and the profile's size of a new VPC. */
export interface EnvironmentVpcProps extends NetworkChoice {
  /** AZs of a new VPC (when `availabilityZones` is not given). */
  readonly maxAzs: number;
  /** NAT gateways of a new VPC. */
  readonly natGateways: number;
  /** Whether the environment has a frontend load balancer (it needs public subnets in the user's VPC). */
  readonly frontend?: boolean;
}

/**
 * The environment's VPC, construct id `Vpc` in `scope`: the user's `vpc`, or a new one with a public
 * (/24) and a private-with-egress (/20) subnet in each AZ.
 */
export function buildEnvironmentVpc(scope: Construct, props: EnvironmentVpcProps): ec2.IVpc {
  checkNetworkChoice('ScopeEnvironment', props);
  checkEnvironmentVpc(props.vpc, props.frontend ?? true);
  return props.vpc ?? newVpc(scope, 'Vpc', chooseAvailabilityZones(scope, props.maxAzs, props.availabilityZones, 'availabilityZones'), {
    natGateways: props.natGateways,
    // Nothing uses the default security group; restricting it costs a custom resource Lambda
    // (the feature flag's default in new apps), which would break the 4-function budget.
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      // Nothing in the public subnets needs an auto-assigned public IP: NAT gateways have Elastic
      // IPs, the load balancer its own (AWS Control Tower CT.EC2.PR.11; the subnet is updated in place).
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
    ],
  });
}
