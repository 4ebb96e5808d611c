/**
 * Capacity model of a node group: how many pods a node takes, how much memory the kubelet leaves
 * for pods, and what is left for the application once the system pods run. Used by
 * `npx projen bench` and test/cluster/capacity.test.ts with the profile table (src/profile.ts)
 * and the instance type table (./instance-types.ts). Not exported from the package.
 */
import { InstanceTypeData, instanceTypeData } from './instance-types';

/**
 * Highest max pods managed node groups allow: 110 below 30 vCPUs, 250 above, with or without
 * prefix delegation ("Managed node groups enforces a maximum number on the value of maxPods",
 * https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses-procedure.html;
 * MAX_POD_CEILING_FOR_LOW_CPU / _HIGH_CPU in awslabs/amazon-eks-ami max-pods-calculator.sh).
 */
export const MAX_PODS_CEILING_LOW_CPU = 110;
export const MAX_PODS_CEILING_HIGH_CPU = 250;
/** IPv4 addresses per /28 prefix (IPS_PER_PREFIX in max-pods-calculator.sh). */
export const IPS_PER_PREFIX = 16;
/**
 * AL2023 kubelet memory reservation: kubeReserved memory = 11 MiB x maxPods + 255 MiB, eviction
 * threshold memory.available < 100 MiB (awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go,
 * getMemoryMebibytesToReserve and defaultKubeletSubConfig.EvictionHard).
 */
export const KUBE_RESERVED_BASE_MIB = 255;
export const KUBE_RESERVED_PER_POD_MIB = 11;
export const EVICTION_HARD_MIB = 100;
/**
 * Share of an instance's memory the kernel keeps (kubelet capacity is MemTotal, below what EC2
 * sells): Karpenter's default VM memory overhead heuristic, 7.5 %
 * (https://github.com/aws/karpenter-provider-aws/issues/5161, vmMemoryOverheadPercent).
 */
export const VM_MEMORY_OVERHEAD = 0.075;

/**
 * Max pods per node, as the max-pods-calculator computes it
 * (awslabs/amazon-eks-ami templates/al2/runtime/max-pods-calculator.sh before commit b228903):
 * without prefix delegation ENIs x (IPv4 per ENI - 1) + 2; with it ENIs x (IPv4 per ENI - 1) x 16 + 2;
 * either way at most 110 (250 above 30 vCPUs), the cap managed node groups enforce
 * ("For instances with less than 30 vCPUs, the cap is 110 ... greater than 30 vCPUs, the cap is 250",
 * https://docs.aws.amazon.com/eks/latest/userguide/choosing-instance-type.html#max-pods-precedence).
 */
export function maxPodsPerNode(data: InstanceTypeData, prefixDelegation: boolean): number {
  const ceiling = data.vcpus > 30 ? MAX_PODS_CEILING_HIGH_CPU : MAX_PODS_CEILING_LOW_CPU;
  const pods = data.enis * (data.ipv4PerEni - 1) * (prefixDelegation ? IPS_PER_PREFIX : 1) + 2;
  return Math.min(ceiling, pods);
}

/**
 * The max pods a managed node group writes into the kubelet configuration of every node of
 * `instanceTypes`: the smallest value of its types ("If a managed node group consists of multiple
 * instance types, the smallest value for maximum number of Pods for an instance in the cluster is
 * applied to all nodes", https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses.html,
 * Considerations). Undefined when a type is not in the instance type table.
 */
export function nodeGroupMaxPods(instanceTypes: string[], prefixDelegation: boolean): number | undefined {
  const data = instanceTypes.map(instanceTypeData);
  if (data.length === 0 || data.some(d => d === undefined)) return undefined;
  return Math.min(...(data as InstanceTypeData[]).map(d => maxPodsPerNode(d, prefixDelegation)));
}

/**
 * The nodeadm max-pods expression (CEL, variables default_enis and ips_per_eni) used only for
 * instance types the table does not list: the prefix-delegation value per type, capped at 110.
 */
export const PREFIX_DELEGATION_MAX_PODS_EXPRESSION = (() => {
  const pods = `(default_enis * (ips_per_eni - 1) * ${IPS_PER_PREFIX} + 2)`;
  return `${pods} < ${MAX_PODS_CEILING_LOW_CPU} ? ${pods} : ${MAX_PODS_CEILING_LOW_CPU}`;
})();

/** One node's pod slots and memory. */
export interface NodeCapacity {
  readonly instanceType: string;
  readonly maxPods: number;
  /** Memory the kubelet sees (MemTotal), MiB. */
  readonly capacityMiB: number;
  /** kubeReserved memory, MiB. */
  readonly kubeReservedMiB: number;
  /** Memory the scheduler may hand to pods (capacity - kubeReserved - eviction threshold), MiB. */
  readonly allocatableMiB: number;
}

/** One node of `instanceType`, or undefined when the instance type table does not list it. */
export function nodeCapacity(instanceType: string, prefixDelegation: boolean, groupMaxPods?: number): NodeCapacity | undefined {
  const data = instanceTypeData(instanceType);
  if (!data) return undefined;
  const maxPods = groupMaxPods ?? maxPodsPerNode(data, prefixDelegation);
  const capacityMiB = Math.floor(data.memoryMiB * (1 - VM_MEMORY_OVERHEAD));
  const kubeReservedMiB = KUBE_RESERVED_BASE_MIB + KUBE_RESERVED_PER_POD_MIB * maxPods;
  return { instanceType, maxPods, capacityMiB, kubeReservedMiB, allocatableMiB: capacityMiB - kubeReservedMiB - EVICTION_HARD_MIB };
}

/** A system pod: a DaemonSet (one per node) or a Deployment with a number of replicas. */
export interface SystemPod {
  readonly name: string;
  /** `daemonset`: one pod per node; otherwise `replicas` pods. */
  readonly daemonSet: boolean;
  readonly replicas?: number;
  /** Memory set aside per pod, MiB: its request, or (no request) its typical use. */
  readonly memoryMiB: number;
  readonly source: string;
}

/** What runs on every cluster besides the application. */
export interface SystemPodsOptions {
  /** Replicas of the AWS Load Balancer Controller (0 without a frontend). */
  readonly controllerReplicas: number;
  /** Whether the helloWorld smoke test runs. */
  readonly helloWorld: boolean;
  /** More system pods (e.g. the Container Insights agents). */
  readonly extra?: SystemPod[];
}

const ESTIMATE = 'ESTIMATE (no memory request set; typical working set)';

/** The system pods of a ScopeCluster. */
export function systemPods(options: SystemPodsOptions): SystemPod[] {
  const pods: SystemPod[] = [
    { name: 'aws-node (VPC CNI)', daemonSet: true, memoryMiB: 64, source: `${ESTIMATE}; requests only cpu 25m (aws/amazon-vpc-cni-k8s charts/aws-vpc-cni/values.yaml)` },
    { name: 'kube-proxy', daemonSet: true, memoryMiB: 32, source: `${ESTIMATE}; requests only cpu` },
    { name: 'eks-pod-identity-agent', daemonSet: true, memoryMiB: 32, source: ESTIMATE },
    { name: 'coredns', daemonSet: false, replicas: 2, memoryMiB: 70, source: 'request 70Mi (kubernetes cluster/addons/dns/coredns manifest, used by the EKS add-on)' },
  ];
  if (options.controllerReplicas > 0) {
    pods.push({
      name: 'aws-load-balancer-controller',
      daemonSet: false,
      replicas: options.controllerReplicas,
      memoryMiB: 128,
      source: 'request 128Mi (src/frontend/controller.ts CONTROLLER_RESOURCES; the chart itself sets resources: {})',
    });
  }
  if (options.helloWorld) {
    pods.push({ name: 'helloworld', daemonSet: false, replicas: 1, memoryMiB: 16, source: 'request 16Mi (src/cluster/hello-world.ts)' });
  }
  return [...pods, ...(options.extra ?? [])];
}

/** The node group's capacity for the application. */
export interface ClusterCapacity {
  /** The instance type with the fewest pods (several types: the worst case). */
  readonly node: NodeCapacity;
  readonly nodeCount: number;
  readonly podSlots: number;
  /** Allocatable memory of the instance type with the least of it, MiB. */
  readonly allocatablePerNodeMiB: number;
  readonly systemPods: number;
  /** Pod slots left for the application. */
  readonly freeAppPods: number;
  readonly allocatableMiB: number;
  readonly systemMemoryMiB: number;
  /** Allocatable memory left for the application, MiB. */
  readonly appMemoryMiB: number;
}

/**
 * Capacity of `nodeCount` nodes of the given instance types (the worst of them counts) after
 * `pods`; undefined when any of the types is not in the instance type table.
 */
export function clusterCapacity(
  instanceTypes: string[], nodeCount: number, prefixDelegation: boolean, pods: SystemPod[],
): ClusterCapacity | undefined {
  // Every node of the group runs with the group's one max pods value (and its memory reservation).
  const groupMaxPods = nodeGroupMaxPods(instanceTypes, prefixDelegation);
  const nodes = instanceTypes.map(t => nodeCapacity(t, prefixDelegation, groupMaxPods));
  if (nodes.length === 0 || nodes.some(n => n === undefined)) return undefined;
  const known = nodes as NodeCapacity[];
  const fewestPods = known.reduce((a, b) => (b.maxPods < a.maxPods ? b : a));
  const leastMemory = known.reduce((a, b) => (b.allocatableMiB < a.allocatableMiB ? b : a));
  const count = (p: SystemPod) => (p.daemonSet ? nodeCount : p.replicas ?? 1);
  const system = pods.reduce((sum, p) => sum + count(p), 0);
  const systemMemoryMiB = pods.reduce((sum, p) => sum + count(p) * p.memoryMiB, 0);
  const allocatableMiB = nodeCount * leastMemory.allocatableMiB;
  return {
    node: fewestPods,
    nodeCount,
    podSlots: nodeCount * fewestPods.maxPods,
    allocatablePerNodeMiB: leastMemory.allocatableMiB,
    systemPods: system,
    freeAppPods: nodeCount * fewestPods.maxPods - system,
    allocatableMiB,
    systemMemoryMiB,
    appMemoryMiB: allocatableMiB - systemMemoryMiB,
  };
}
