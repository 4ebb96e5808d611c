/**
 * Capacity rows for `npx projen bench`: the profile table (src/profile/profile.ts) through the capacity
 * model (src/cluster/capacity.ts) with the instance type table (src/cluster/instance-types.ts).
 */
import { ClusterCapacity, SystemPod, clusterCapacity, systemPods } from '../src/cluster/capacity';
import { EnvironmentProfile, PROFILE_DEFAULTS } from '../src/profile';

/** Targets of issue 15 for the default DEVELOPMENT nodes. */
export const DEVELOPMENT_MIN_FREE_APP_PODS = 24;
export const DEVELOPMENT_MIN_APP_MEMORY_MIB = 3 * 1024;

/**
 * System pods beyond the cluster's own, per profile (e.g. the Container Insights agents when
 * monitoring turns them on by default): extend here so the capacity figures follow.
 */
export const EXTRA_SYSTEM_PODS: { readonly [profile: string]: SystemPod[] } = {};

/** The system pods of a profile's default environment (helloWorld counted: the issue counts it). */
export function profileSystemPods(profile: EnvironmentProfile): SystemPod[] {
  return systemPods({ controllerReplicas: PROFILE_DEFAULTS[profile].controllerReplicas, helloWorld: true, extra: EXTRA_SYSTEM_PODS[profile] });
}

/** A profile's default node group through the capacity model. */
export function profileCapacity(profile: EnvironmentProfile): ClusterCapacity {
  const d = PROFILE_DEFAULTS[profile];
  const capacity = clusterCapacity(d.nodeInstanceTypes.map(String), d.nodeCount, d.prefixDelegation, profileSystemPods(profile));
  if (!capacity) throw new Error(`an instance type of ${profile} (${d.nodeInstanceTypes.join(', ')}) is missing from src/cluster/instance-types.ts`);
  return capacity;
}

export interface CapacityRow {
  readonly profile: string;
  readonly nodes: string;
  readonly maxPodsPerNode: number;
  readonly systemPods: number;
  readonly systemPodNames: string;
  readonly freeAppPods: number;
  readonly allocatableMiB: number;
  readonly systemMemoryMiB: number;
  readonly appMemoryMiB: number;
}

export function capacityRows(): CapacityRow[] {
  return Object.values(EnvironmentProfile).map(profile => {
    const d = PROFILE_DEFAULTS[profile];
    const c = profileCapacity(profile);
    const pods = profileSystemPods(profile);
    return {
      profile,
      nodes: `${d.nodeCount} x ${d.nodeInstanceTypes.join('|')} (${d.nodeCapacityType}${d.prefixDelegation ? ', prefix delegation' : ''})`,
      maxPodsPerNode: c.node.maxPods,
      systemPods: c.systemPods,
      systemPodNames: pods.map(p => `${p.name} x${p.daemonSet ? `${d.nodeCount} (DaemonSet)` : p.replicas ?? 1}`).join(', '),
      freeAppPods: c.freeAppPods,
      allocatableMiB: c.allocatableMiB,
      systemMemoryMiB: c.systemMemoryMiB,
      appMemoryMiB: c.appMemoryMiB,
    };
  });
}

/** The levers weighed for DEVELOPMENT (2 nodes), the first row being the previous default. */
export function leverRows() {
  const levers: Array<{ types: string[]; capacityType: string; prefixDelegation: boolean; controllerReplicas: number }> = [
    { types: ['t3a.small'], capacityType: 'ON_DEMAND', prefixDelegation: false, controllerReplicas: 2 },
    { types: ['t3a.small'], capacityType: 'ON_DEMAND', prefixDelegation: true, controllerReplicas: 1 },
    { types: ['t4g.small'], capacityType: 'ON_DEMAND', prefixDelegation: true, controllerReplicas: 1 },
    { types: ['t3a.medium'], capacityType: 'ON_DEMAND', prefixDelegation: false, controllerReplicas: 1 },
    { types: ['t4g.medium'], capacityType: 'ON_DEMAND', prefixDelegation: false, controllerReplicas: 1 },
    { types: ['t4g.medium'], capacityType: 'ON_DEMAND', prefixDelegation: true, controllerReplicas: 1 },
    { types: ['t4g.medium', 'm6g.medium', 'm7g.medium'], capacityType: 'SPOT', prefixDelegation: false, controllerReplicas: 1 },
    { types: ['t4g.medium', 'm6g.medium', 'm7g.medium'], capacityType: 'SPOT', prefixDelegation: true, controllerReplicas: 1 },
  ];
  return levers.map(l => {
    const c = clusterCapacity(l.types, 2, l.prefixDelegation, systemPods({ controllerReplicas: l.controllerReplicas, helloWorld: true }))!;
    return {
      instanceTypes: l.types.join('|'),
      instanceType: l.types[0],
      capacityType: l.capacityType,
      prefixDelegation: l.prefixDelegation,
      controllerReplicas: l.controllerReplicas,
      freeAppPods: c.freeAppPods,
      appMemoryMiB: c.appMemoryMiB,
    };
  });
}

export function capacityTargets(rows: CapacityRow[]) {
  const dev = rows.find(r => r.profile === EnvironmentProfile.DEVELOPMENT)!;
  return [
    { name: `DEVELOPMENT: >= ${DEVELOPMENT_MIN_FREE_APP_PODS} free app pods`, value: String(dev.freeAppPods), pass: dev.freeAppPods >= DEVELOPMENT_MIN_FREE_APP_PODS },
    {
      name: `DEVELOPMENT: >= ${DEVELOPMENT_MIN_APP_MEMORY_MIB} MiB allocatable memory for apps`,
      value: `${dev.appMemoryMiB} MiB`,
      pass: dev.appMemoryMiB >= DEVELOPMENT_MIN_APP_MEMORY_MIB,
    },
  ];
}
