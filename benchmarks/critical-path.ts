/**
 * Deploy critical path: the longest chain of the template's dependency graph, each resource
 * weighted by its typical creation time (creation-minutes.ts), against the unavoidable chain
 * VPC -> EKS cluster -> node group -> first Kubernetes object.
 */
import { HELM_PODS_AFTER_NODES, VPC_FUNCTION_SHARED_ENI, WARM_KUBECTL_APPLY, creationTime } from './creation-minutes';
import { Template, dependencies } from './template';

export interface Step {
  readonly logicalId: string;
  readonly type: string;
  readonly minutes: number;
  /** Estimated minute at which the resource is complete. */
  readonly doneAt: number;
  readonly estimate: boolean;
  /** Why it waits for the step before it. */
  readonly reason: string;
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

const KUBECTL_TYPES = ['Custom::AWSCDK-EKS-HelmChart', 'Custom::AWSCDK-EKS-KubernetesResource', 'Custom::AWSCDK-EKS-KubernetesObjectValue'];
const RUNTIME_WAIT = 'no CloudFormation edge: `helm --wait` waits at run time until the controller pods run on the nodes';

/** Why a resource of the second type waits for one of the first (the edges the critical path runs through). */
const REASONS: { readonly [edge: string]: string } = {
  'AWS::EC2::VPC -> AWS::EC2::Subnet': 'the subnet is part of the VPC',
  'AWS::EC2::VPC -> AWS::EC2::SecurityGroup': 'the security group is part of the VPC',
  'AWS::EC2::VPC -> AWS::EC2::VPCGatewayAttachment': 'the internet gateway is attached to the VPC',
  'AWS::EC2::VPCGatewayAttachment -> AWS::EC2::Route': 'the public default route goes to the internet gateway',
  'AWS::EC2::Route -> AWS::EC2::NatGateway': 'a public NAT gateway needs its subnet\'s route to the internet',
  'AWS::EC2::NatGateway -> AWS::EC2::Route': 'the private default route goes to the NAT gateway',
  'AWS::EC2::Subnet -> AWS::EKS::Cluster': 'the control plane\'s network interfaces go into the private subnets (Ref)',
  'AWS::EC2::SecurityGroup -> AWS::EKS::Cluster': 'the control plane security group (Ref)',
  'AWS::EC2::Route -> AWS::EKS::Cluster': 'the cluster waits for the NAT routes (aws-eks-v2 makes it depend on the whole VPC)',
  'AWS::EKS::Cluster -> AWS::EKS::Addon': 'the add-on is installed into the cluster',
  'AWS::EKS::Addon -> AWS::EKS::Nodegroup': 'nodes start with the vpc-cni add-on\'s configuration (e.g. prefix delegation), so their max pods match it',
  'AWS::EKS::Cluster -> AWS::EKS::Nodegroup': 'nodes join the cluster',
  'AWS::EC2::Route -> AWS::EKS::Nodegroup': 'nodes need egress (NAT routes) to join the cluster and pull images',
  'AWS::EKS::Nodegroup -> AWS::EKS::Addon': 'the add-on waited for the nodes',
  'AWS::EKS::Addon -> Custom::AWSCDK-EKS-HelmChart': 'the controller gets its credentials from the Pod Identity agent at start',
  'AWS::EKS::Nodegroup -> Custom::AWSCDK-EKS-HelmChart': 'the controller waited for the node group',
  'Custom::AWSCDK-EKS-HelmChart -> Custom::AWSCDK-EKS-KubernetesResource':
    'the TargetGroupBinding needs the controller\'s CRD and webhook; on delete the controller removes the binding\'s finalizer',
  'Custom::AWSCDK-EKS-HelmChart -> Custom::AWSCDK-EKS-KubernetesObjectValue': 'waits until the controller\'s webhook Service has a ready endpoint',
  'Custom::AWSCDK-EKS-KubernetesObjectValue -> Custom::AWSCDK-EKS-KubernetesResource':
    'the TargetGroupBinding is validated by the controller\'s webhook (it must answer); on delete the controller removes the binding\'s finalizer',
  'AWS::EKS::Nodegroup -> Custom::AWSCDK-EKS-KubernetesResource': 'on delete, the nodes (and the controller on them) outlive the binding',
};

function reason(fromType: string | undefined, toType: string, runtime: boolean): string {
  if (runtime) return RUNTIME_WAIT;
  if (!fromType) return 'starts at once';
  return REASONS[`${fromType} -> ${toType}`] ?? 'references it (Ref, Fn::GetAtt) or DependsOn';
}

const STATEFUL = ['AWS::RDS::DBInstance', 'Custom::UsersDatabaseBootstrap', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Route53::HostedZone'];

export function criticalPath(template: Template): CriticalPath {
  const deps = dependencies(template);
  const resources = template.Resources;
  const done = new Map<string, { at: number; via?: string; minutes: number; estimate: boolean; runtime: boolean }>();
  const ids = Object.keys(resources);
  const nodegroups = ids.filter(id => resources[id].Type === 'AWS::EKS::Nodegroup');
  const serviceToken = (id: string) => JSON.stringify(resources[id].Properties?.ServiceToken ?? null);
  const vpcConfig = (id: string) => (resources[id].Type === 'AWS::Lambda::Function' && resources[id].Properties?.VpcConfig
    ? JSON.stringify(resources[id].Properties.VpcConfig) : undefined);
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    for (const dep of deps.get(id) ?? []) {
      if (!seen.has(dep)) {
        seen.add(dep);
        ancestors(dep, seen);
      }
    }
    return seen;
  };

  // Earliest completion: own creation time after the latest of its dependencies (CloudFormation
  // starts a resource as soon as all of its dependencies are complete). Two refinements for the
  // kubectl/Helm handler: a resource whose last dependency was served by the same handler finds it
  // warm, and a Helm release with `wait` cannot complete before the nodes run its pods.
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
    const { Type: type, Properties: props } = resources[id];
    let time = creationTime(type, props);
    if (KUBECTL_TYPES.includes(type) && via && KUBECTL_TYPES.includes(resources[via].Type) && serviceToken(via) === serviceToken(id)) {
      time = { ...time, ...WARM_KUBECTL_APPLY };
    }
    const network = vpcConfig(id);
    if (network && [...ancestors(id)].some(a => vpcConfig(a) === network)) {
      time = { ...time, ...VPC_FUNCTION_SHARED_ENI };
    }
    let at = start + time.minutes;
    let runtime = false;
    if (type === 'Custom::AWSCDK-EKS-HelmChart' && String(props?.Wait) === 'true') {
      for (const ng of nodegroups) {
        const podsAt = finish(ng, visiting) + HELM_PODS_AFTER_NODES.minutes;
        if (podsAt > at) [at, via, runtime, time] = [podsAt, ng, true, { ...time, ...HELM_PODS_AFTER_NODES }];
      }
    }
    done.set(id, { at, via, minutes: time.minutes, estimate: time.source.startsWith('ESTIMATE'), runtime });
    return at;
  };
  ids.forEach(id => finish(id));

  const last = ids.reduce((a, b) => (done.get(b)!.at > done.get(a)!.at ? b : a));
  const path: Step[] = [];
  for (let id: string | undefined = last; id; id = done.get(id)!.via) {
    const d = done.get(id)!;
    const why = reason(d.via ? resources[d.via].Type : undefined, resources[id].Type, d.runtime);
    path.unshift({ logicalId: id, type: resources[id].Type, minutes: d.minutes, doneAt: d.at, estimate: d.estimate, reason: why });
  }

  const minutes = done.get(last)!.at;
  const unavoidableMinutes = UNAVOIDABLE_CHAIN.reduce((sum, type) => sum + creationTime(type, {}).minutes, 0);
  const clusters = new Set(ids.filter(id => resources[id].Type === 'AWS::EKS::Cluster'));
  const statefulIds = ids.filter(id => STATEFUL.includes(resources[id].Type));
  const stateful = statefulIds.map(id => ({ logicalId: id, type: resources[id].Type, doneAt: done.get(id)!.at }));
  const statefulWaitingForCluster = statefulIds.filter(id => [...ancestors(id)].some(a => clusters.has(a)));
  return { path, minutes, unavoidableMinutes, ratio: minutes / unavoidableMinutes, stateful, statefulWaitingForCluster };
}
