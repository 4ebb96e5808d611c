/**
 * The one table of EC2 instance type data used by the capacity model (src/cluster/capacity.ts,
 * `npx projen bench`, test/cluster/capacity.test.ts) and by the cost model (benchmarks/cost.ts).
 * Not exported from the package. A node instance type that is not listed here still works in
 * ScopeCluster; only the capacity and cost figures are missing for it.
 *
 * Sources:
 * - ENIs and IPv4 addresses per ENI: `defaultMaxENIs` / `ipv4AddressesPerInterface` in
 *   awslabs/amazon-eks-ami nodeadm/internal/kubelet/instance-info.jsonl (commit 81fec2e, 2026-07-23),
 *   https://github.com/awslabs/amazon-eks-ami/blob/main/nodeadm/internal/kubelet/instance-info.jsonl;
 *   the resulting max pods agree with aws/amazon-vpc-cni-k8s misc/eni-max-pods.txt (commit b521883).
 * - vCPUs, memory, architecture: https://aws.amazon.com/ec2/instance-types/ (T3a, T4g, M6g, M7g, M8g, M7i, C6g, C7g, C8g, R6g, R7g).
 * - On-demand price, Linux, us-east-1, USD per hour: https://aws.amazon.com/ec2/pricing/on-demand/,
 *   as of 2026-11-25 (written from the price pages, not fetched live; see benchmarks/prices-us-east-1.json).
 */
export interface InstanceTypeData {
  readonly vcpus: number;
  /** Memory of the instance as EC2 sells it, MiB. */
  readonly memoryMiB: number;
  /** Network interfaces on the default network card. */
  readonly enis: number;
  /** IPv4 addresses per network interface (the primary one included). */
  readonly ipv4PerEni: number;
  readonly arch: 'arm64' | 'x86_64';
  /** On-demand price in us-east-1, USD per hour. */
  readonly onDemandHourUsd: number;
}

export const INSTANCE_TYPES: { readonly [instanceType: string]: InstanceTypeData } = {
  't3a.small': { vcpus: 2, memoryMiB: 2048, enis: 2, ipv4PerEni: 4, arch: 'x86_64', onDemandHourUsd: 0.0188 },
  't3a.medium': { vcpus: 2, memoryMiB: 4096, enis: 3, ipv4PerEni: 6, arch: 'x86_64', onDemandHourUsd: 0.0376 },
  't4g.small': { vcpus: 2, memoryMiB: 2048, enis: 3, ipv4PerEni: 4, arch: 'arm64', onDemandHourUsd: 0.0168 },
  't4g.medium': { vcpus: 2, memoryMiB: 4096, enis: 3, ipv4PerEni: 6, arch: 'arm64', onDemandHourUsd: 0.0336 },
  't4g.large': { vcpus: 2, memoryMiB: 8192, enis: 3, ipv4PerEni: 12, arch: 'arm64', onDemandHourUsd: 0.0672 },
  'm6g.medium': { vcpus: 1, memoryMiB: 4096, enis: 2, ipv4PerEni: 4, arch: 'arm64', onDemandHourUsd: 0.0385 },
  'm7g.medium': { vcpus: 1, memoryMiB: 4096, enis: 2, ipv4PerEni: 4, arch: 'arm64', onDemandHourUsd: 0.0408 },
  'c6g.large': { vcpus: 2, memoryMiB: 4096, enis: 3, ipv4PerEni: 10, arch: 'arm64', onDemandHourUsd: 0.068 },
  'c7g.large': { vcpus: 2, memoryMiB: 4096, enis: 3, ipv4PerEni: 10, arch: 'arm64', onDemandHourUsd: 0.0725 },
  'm7g.large': { vcpus: 2, memoryMiB: 8192, enis: 3, ipv4PerEni: 10, arch: 'arm64', onDemandHourUsd: 0.0816 },
  'm6g.large': { vcpus: 2, memoryMiB: 8192, enis: 3, ipv4PerEni: 10, arch: 'arm64', onDemandHourUsd: 0.077 },
  'm8g.medium': { vcpus: 1, memoryMiB: 4096, enis: 2, ipv4PerEni: 4, arch: 'arm64', onDemandHourUsd: 0.04488 },
  'r6g.medium': { vcpus: 1, memoryMiB: 8192, enis: 2, ipv4PerEni: 4, arch: 'arm64', onDemandHourUsd: 0.0504 },
  'r7g.medium': { vcpus: 1, memoryMiB: 8192, enis: 2, ipv4PerEni: 4, arch: 'arm64', onDemandHourUsd: 0.0536 },
  'c8g.large': { vcpus: 2, memoryMiB: 4096, enis: 3, ipv4PerEni: 10, arch: 'arm64', onDemandHourUsd: 0.07976 },
  'm7i.large': { vcpus: 2, memoryMiB: 8192, enis: 3, ipv4PerEni: 10, arch: 'x86_64', onDemandHourUsd: 0.1008 },
};

/** The data of `instanceType`, or undefined when the table does not list it. */
export function instanceTypeData(instanceType: string): InstanceTypeData | undefined {
  return Object.prototype.hasOwnProperty.call(INSTANCE_TYPES, instanceType) ? INSTANCE_TYPES[instanceType] : undefined;
}
