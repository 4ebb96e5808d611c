/**
 * Deploy critical path: the longest chain of the template's dependency graph, each resource
 * weighted by its typical creation time (creation-minutes.ts), against the unavoidable chain
 * VPC -> EKS cluster -> node group -> first Kubernetes object.
 */
import { creationTime } from './creation-minutes';
import { Template, dependencies } from './template';

export interface Step {
  readonly logicalId: string;
  readonly type: string;
  readonly minutes: number;
  /** Estimated minute at which the resource is complete. */
  readonly doneAt: number;
  readonly estimate: boolean;
}

export interface CriticalPath {
  readonly path: Step[];
  readonly minutes: number;
  readonly unavoidableMinutes: number;
  readonly ratio: number;
  /** When the stateful resources (database, its bootstrap, table, bucket, zone) are done. */
  readonly stateful: Array<{ readonly logicalId: string; readonly type: string; readonly doneAt: number }>;
  /** Stateful resources that wait for the EKS cluster. */
  readonly statefulWaitingForCluster: string[];
}

/** The chain no template can avoid: a Kubernetes object needs nodes, nodes need a cluster, a cluster needs a VPC. */
export const UNAVOIDABLE_CHAIN = ['AWS::EC2::VPC', 'AWS::EKS::Cluster', 'AWS::EKS::Nodegroup', 'Custom::AWSCDK-EKS-KubernetesResource'];

const STATEFUL = ['AWS::RDS::DBInstance', 'Custom::UsersDatabaseBootstrap', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Route53::HostedZone'];

export function criticalPath(template: Template): CriticalPath {
  const deps = dependencies(template);
  const resources = template.Resources;
  const done = new Map<string, { at: number; via?: string }>();

  // Earliest completion: own creation time after the latest of its dependencies (CloudFormation
  // starts a resource as soon as all of its dependencies are complete).
  const finish = (id: string, visiting = new Set<string>()): number => {
    const known = done.get(id);
    if (known) return known.at;
    if (visiting.has(id)) throw new Error(`dependency cycle through ${id}`);
    visiting.add(id);
    let start = 0;
    let via: string | undefined;
    for (const dep of deps.get(id) ?? []) {
      const at = finish(dep, visiting);
      if (at > start) [start, via] = [at, dep];
    }
    const at = start + creationTime(resources[id].Type, resources[id].Properties).minutes;
    done.set(id, { at, via });
    return at;
  };
  const ids = Object.keys(resources);
  ids.forEach(id => finish(id));

  const last = ids.reduce((a, b) => (done.get(b)!.at > done.get(a)!.at ? b : a));
  const path: Step[] = [];
  for (let id: string | undefined = last; id; id = done.get(id)!.via) {
    const t = creationTime(resources[id].Type, resources[id].Properties);
    path.unshift({ logicalId: id, type: resources[id].Type, minutes: t.minutes, doneAt: done.get(id)!.at, estimate: t.source.startsWith('ESTIMATE') });
  }

  const minutes = done.get(last)!.at;
  const unavoidableMinutes = UNAVOIDABLE_CHAIN.reduce((sum, type) => sum + creationTime(type, {}).minutes, 0);
  const clusters = new Set(ids.filter(id => resources[id].Type === 'AWS::EKS::Cluster'));
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    for (const dep of deps.get(id) ?? []) {
      if (!seen.has(dep)) {
        seen.add(dep);
        ancestors(dep, seen);
      }
    }
    return seen;
  };
  const statefulIds = ids.filter(id => STATEFUL.includes(resources[id].Type));
  const stateful = statefulIds.map(id => ({ logicalId: id, type: resources[id].Type, doneAt: done.get(id)!.at }));
  const statefulWaitingForCluster = statefulIds.filter(id => [...ancestors(id)].some(a => clusters.has(a)));
  return { path, minutes, unavoidableMinutes, ratio: minutes / unavoidableMinutes, stateful, statefulWaitingForCluster };
}
