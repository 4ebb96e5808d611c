import { DEVELOPMENT_MIN_APP_MEMORY_MIB, DEVELOPMENT_MIN_FREE_APP_PODS, profileCapacity } from '../../benchmarks/capacity';
import { SystemPod, clusterCapacity, maxPodsPerNode, nodeCapacity, nodeGroupMaxPods, systemPods } from '../../src/cluster/capacity';
import { INSTANCE_TYPES } from '../../src/cluster/instance-types';
import { EnvironmentProfile, PROFILE_DEFAULTS } from '../../src/profile';

const dev = PROFILE_DEFAULTS[EnvironmentProfile.DEVELOPMENT];

describe('capacity model', () => {
  test.each([
    // Secondary IPs: misc/eni-max-pods.txt of aws/amazon-vpc-cni-k8s.
    ['t3a.small', false, 8], ['t4g.small', false, 11], ['t4g.medium', false, 17], ['m6g.medium', false, 8], ['m7i.large', false, 29],
    // Prefix delegation: ENIs x (IPs - 1) x 16 + 2, at most 110 below 30 vCPUs.
    ['t3a.small', true, 98], ['m6g.medium', true, 98], ['t4g.medium', true, 110], ['m7i.large', true, 110],
  ] as Array<[string, boolean, number]>)('%s, prefix delegation %p: %p pods', (type, prefixDelegation, pods) => {
    expect(maxPodsPerNode(INSTANCE_TYPES[type], prefixDelegation)).toBe(pods);
  });

  test('allocatable memory: MemTotal - (255 MiB + 11 MiB x max pods) - 100 MiB eviction threshold', () => {
    const node = nodeCapacity('t4g.medium', true)!;
    expect(node.kubeReservedMiB).toBe(255 + 11 * 110);
    expect(node.allocatableMiB).toBe(node.capacityMiB - node.kubeReservedMiB - 100);
    expect(node.capacityMiB).toBeLessThan(4096);
  });

  test('an instance type not in the table gives no figures instead of failing', () => {
    expect(nodeCapacity('r7g.xlarge', true)).toBeUndefined();
    expect(clusterCapacity(['t4g.medium', 'r7g.xlarge'], 2, true, [])).toBeUndefined();
  });

  test('several instance types: every node runs the group\'s one max pods value (the smallest), memory of the worst type counts', () => {
    const c = clusterCapacity(['t4g.medium', 'm6g.medium'], 2, true, [])!;
    expect(c.node.maxPods).toBe(98);
    // t4g.medium with 98 pods reserves 11 MiB x 98 + 255 MiB, not the 110-pod figure.
    expect(c.allocatablePerNodeMiB).toBe(nodeCapacity('t4g.medium', true, 98)!.allocatableMiB);
    expect(nodeGroupMaxPods(['t4g.medium', 'm6g.medium'], true)).toBe(98);
    expect(nodeGroupMaxPods(['t4g.medium', 'r7g.xlarge'], true)).toBeUndefined();
  });

  test('the managed node group cap applies with and without prefix delegation (110 below 30 vCPUs, 250 above)', () => {
    expect(maxPodsPerNode({ vcpus: 16, memoryMiB: 65536, enis: 8, ipv4PerEni: 30, arch: 'x86_64', onDemandHourUsd: 1 }, false)).toBe(110);
    expect(maxPodsPerNode({ vcpus: 48, memoryMiB: 196608, enis: 15, ipv4PerEni: 50, arch: 'x86_64', onDemandHourUsd: 1 }, true)).toBe(250);
  });

  test('DEVELOPMENT\'s Spot list: at least 10 arm64 types with >= 4 GiB and the same max pods floor (98)', () => {
    const types = dev.nodeInstanceTypes.map(String);
    expect(types.length).toBeGreaterThanOrEqual(10);
    for (const t of types) expect(INSTANCE_TYPES[t].memoryMiB).toBeGreaterThanOrEqual(4096);
    expect(nodeGroupMaxPods(types, dev.prefixDelegation)).toBe(98);
  });

  test('system pods: DaemonSets once per node, Deployments by replicas; the list takes more (e.g. Container Insights)', () => {
    const agents: SystemPod[] = [
      { name: 'cloudwatch-agent', daemonSet: true, memoryMiB: 128, source: 'test' },
      { name: 'fluent-bit', daemonSet: true, memoryMiB: 64, source: 'test' },
    ];
    const base = clusterCapacity(['t4g.medium'], 3, true, systemPods({ controllerReplicas: 2, helloWorld: true }))!;
    // aws-node, kube-proxy, eks-pod-identity-agent x 3 nodes + coredns 2 + controller 2 + helloworld 1.
    expect(base.systemPods).toBe(9 + 2 + 2 + 1);
    const more = clusterCapacity(['t4g.medium'], 3, true, systemPods({ controllerReplicas: 2, helloWorld: true, extra: agents }))!;
    expect(more.systemPods).toBe(base.systemPods + 6);
    expect(more.appMemoryMiB).toBe(base.appMemoryMiB - 3 * (128 + 64));
  });
});

describe('DEVELOPMENT defaults fit the Scope app (issue 15 targets)', () => {
  const capacity = profileCapacity(EnvironmentProfile.DEVELOPMENT);

  test(`>= ${DEVELOPMENT_MIN_FREE_APP_PODS} schedulable app pods and >= 3 GiB allocatable memory for apps on the default node count`, () => {
    expect(capacity.nodeCount).toBe(dev.nodeCount);
    expect(capacity.freeAppPods).toBeGreaterThanOrEqual(DEVELOPMENT_MIN_FREE_APP_PODS);
    expect(capacity.appMemoryMiB).toBeGreaterThanOrEqual(DEVELOPMENT_MIN_APP_MEMORY_MIB);
  });

  test('every default instance type is in the instance type table, all Graviton', () => {
    for (const type of dev.nodeInstanceTypes.map(String)) expect(INSTANCE_TYPES[type]?.arch).toBe('arm64');
  });

  test('with one node fewer the app still has pod slots (nodeCount 1 used to leave none)', () => {
    const one = clusterCapacity(dev.nodeInstanceTypes.map(String), 1, dev.prefixDelegation,
      systemPods({ controllerReplicas: dev.controllerReplicas, helloWorld: true }))!;
    expect(one.freeAppPods).toBeGreaterThanOrEqual(DEVELOPMENT_MIN_FREE_APP_PODS);
  });

  test('the previous default (2 x t3a.small, no prefix delegation, 2 controllers) misses both targets', () => {
    const before = clusterCapacity(['t3a.small'], 2, false, systemPods({ controllerReplicas: 2, helloWorld: true }))!;
    expect(before.freeAppPods).toBe(16 - 11);
    expect(before.freeAppPods).toBeLessThan(DEVELOPMENT_MIN_FREE_APP_PODS);
    expect(before.appMemoryMiB).toBeLessThan(DEVELOPMENT_MIN_APP_MEMORY_MIB);
  });
});
