/**
 * Synth-time checks of the node instance types: a size EC2 sells, and enough pod slots for the
 * cluster's own pods. Each bad type is a PropError naming the prop as the user wrote it
 * (`instanceType`, or `instanceTypes[i]`).
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EVICTION_HARD_MIB, nodeCapacity, nodeGroupMaxPods, SystemPod, systemPods } from './capacity';
import { PropError, validateInstanceSize } from '../private/validate';

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
  instanceTypes.forEach((instanceType, i) => validateInstanceSize(propOf(single, i), instanceType.toString()));
}

/**
 * Fails when the node group cannot run the cluster's own pods (VPC CNI, kube-proxy, Pod Identity
 * agent on every node, CoreDNS, the load balancer controller, helloWorld): a node takes at most
 * the max pods of its ENI and IPv4 limits, and the memory the kubelet leaves for pods with the
 * group's one max pods value (src/cluster/capacity.ts, nodeGroupMaxPods). The type named is the
 * one that falls short. Types the instance type table (./instance-types.ts) does not list are not checked.
 */
export function checkPodSlots(instanceTypes: ec2.InstanceType[], single: boolean, needs: PodNeeds): void {
  const pods = systemPods({ controllerReplicas: needs.controllerReplicas, helloWorld: needs.helloWorld });
  const daemonSets = pods.filter(p => p.daemonSet);
  const sum = (list: SystemPod[], of: (p: SystemPod) => number) => list.reduce((total, p) => total + of(p), 0);
  const required = sum(pods, p => podCount(p, needs.nodeCount));
  const requiredMiB = sum(pods, p => podCount(p, needs.nodeCount) * p.memoryMiB);
  const daemonSetMiB = sum(daemonSets, p => p.memoryMiB);
  const listed = pods.map(p => `${podCount(p, needs.nodeCount)} ${p.name}`).join(', ');
  const fix = 'Use a larger type such as t3.medium, t4g.medium or m7i.large, or raise nodeCount.';
  const groupMaxPods = nodeGroupMaxPods(instanceTypes.map(String), needs.prefixDelegation);
  instanceTypes.forEach((instanceType, i) => {
    const own = nodeCapacity(instanceType.toString(), needs.prefixDelegation);
    if (!own) return;
    // Pod slots: the type's own max pods (the group's value is the smallest of them); memory: with the
    // group's value, which the node group writes into every node's kubelet configuration.
    const node = nodeCapacity(instanceType.toString(), needs.prefixDelegation, groupMaxPods)!;
    const prop = `Invalid ${propOf(single, i)} '${instanceType}'`;
    const slots = own.maxPods * needs.nodeCount;
    if (slots < required || own.maxPods <= daemonSets.length) {
      throw new PropError(`${prop}: a node of it takes at most ${own.maxPods} pods (its network interfaces and IPv4 addresses`
        + `${needs.prefixDelegation ? ', with prefix delegation' : ''}), ${slots} on ${needs.nodeCount} node(s), but the cluster's own pods `
        + `need ${required} (${listed}) and ${daemonSets.length + 1} per node. ${fix}`);
    }
    const memoryMiB = node.allocatableMiB * needs.nodeCount;
    if (node.allocatableMiB < daemonSetMiB || memoryMiB < requiredMiB) {
      throw new PropError(`${prop}: the kubelet leaves ${Math.max(0, node.allocatableMiB)} MiB per node for pods (${node.capacityMiB} MiB `
        + `less ${node.kubeReservedMiB} MiB reserved for ${node.maxPods} pods and ${EVICTION_HARD_MIB} MiB eviction threshold), `
        + `but the cluster's own pods need ${requiredMiB} MiB on ${needs.nodeCount} node(s) (${daemonSetMiB} MiB per node). ${fix}`);
    }
  });
}

function podCount(pod: SystemPod, nodeCount: number): number {
  return pod.daemonSet ? nodeCount : pod.replicas ?? 1;
}
