/**
 * Synth-time checks of the node instance types: a size EC2 sells, and enough pod slots for the
 * cluster's own pods. Each bad type is a PropError naming the prop as the user wrote it
 * (`instanceType`, or `instanceTypes[i]`).
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { maxPodsPerNode, SystemPod, systemPods } from './capacity';
import { eniLimits } from './instance-types';
import { PropError } from '../private/validate';

/**
 * The sizes EC2 sells: the part after the dot of an instance type name ("c7gn.xlarge": size
 * xlarge; https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html), as
 * aws-cdk-lib's InstanceSize enum lists them (nano ... 480xlarge, metal, metal-16xl ...).
 */
const INSTANCE_SIZES = new Set<string>(Object.values(ec2.InstanceSize));

/** What decides the pods the cluster runs besides the application (ScopeClusterProps). */
export interface PodNeeds {
  readonly nodeCount: number;
  readonly prefixDelegation: boolean;
  /** Replicas of the load balancer controller; 0 without a frontend. */
  readonly controllerReplicas: number;
  readonly helloWorld: boolean;
}

/** The prop that names type `i` of `instanceTypes`, as the user wrote it. */
function propOf(single: boolean, i: number): string {
  return single ? 'instanceType' : `instanceTypes[${i}]`;
}

/** Fails when a type's size is not one EC2 sells (`m7i.huge`), naming the prop. */
export function checkInstanceSizes(instanceTypes: ec2.InstanceType[], single: boolean): void {
  instanceTypes.forEach((instanceType, i) => {
    const name = instanceType.toString();
    const size = name.slice(name.indexOf('.') + 1);
    if (!INSTANCE_SIZES.has(size)) {
      throw new PropError(`Invalid ${propOf(single, i)} '${name}': '${size}' is no EC2 instance size; sizes are nano, micro, small, medium, `
        + 'large, xlarge, 2xlarge ... 48xlarge and metal (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html), '
        + 'e.g. m7i.large or m7g.xlarge.');
    }
  });
}

/**
 * Fails when the node group cannot run the cluster's own pods (VPC CNI, kube-proxy, Pod Identity
 * agent on every node, CoreDNS, the load balancer controller, helloWorld): a node takes at most
 * the max pods of its ENI and IPv4 limits (src/cluster/capacity.ts). Types whose limits the
 * instance type table does not list are not checked.
 */
export function checkPodSlots(instanceTypes: ec2.InstanceType[], single: boolean, needs: PodNeeds): void {
  const pods = systemPods({ controllerReplicas: needs.controllerReplicas, helloWorld: needs.helloWorld });
  const required = pods.reduce((sum, p) => sum + podCount(p, needs.nodeCount), 0);
  const daemonSets = pods.filter(p => p.daemonSet).length;
  instanceTypes.forEach((instanceType, i) => {
    const limits = eniLimits(instanceType.toString());
    if (!limits) return;
    const maxPods = maxPodsPerNode(limits, needs.prefixDelegation);
    const slots = maxPods * needs.nodeCount;
    if (slots >= required && maxPods > daemonSets) return;
    throw new PropError(`Invalid ${propOf(single, i)} '${instanceType}': a node of it takes at most ${maxPods} pods `
      + `(its network interfaces and IPv4 addresses${needs.prefixDelegation ? ', with prefix delegation' : ''}), ${slots} on ${needs.nodeCount} node(s), `
      + `but the cluster's own pods need ${required} (${pods.map(p => `${podCount(p, needs.nodeCount)} ${p.name}`).join(', ')}) `
      + `and ${daemonSets + 1} per node (${daemonSets} DaemonSet pods and one more). Use a larger type such as t3.small or m7i.large, or raise nodeCount.`);
  });
}

function podCount(pod: SystemPod, nodeCount: number): number {
  return pod.daemonSet ? nodeCount : pod.replicas ?? 1;
}
