/**
 * ScopeCluster's props checked and with their defaults filled in: the one place where the
 * cluster's standalone defaults (2 nodes, m7i.large, 20 GiB, Kubernetes 1.36) live.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { checkInstanceSizes, checkPodSlots } from './instance-type-checks';
import { DEFAULT_KUBERNETES_VERSION, defaultKubernetesVersion } from './kubernetes-version';
import { ScopeClusterProps } from './options';
import { defaultEnvName, PropError, validateEnvName, validateInteger, validatePattern } from '../private/validate';

/** Nodes per managed node group: the EKS service quota "Nodes per managed node group". */
const MAX_NODE_COUNT = 450;

/** ScopeCluster's settings that have a default or are derived from several props. */
export interface ClusterSettings {
  readonly envName: string;
  readonly version: eks.KubernetesVersion;
  readonly nodeCount: number;
  readonly nodeDiskSize: number;
  readonly instanceTypes: ec2.InstanceType[];
  /** The one architecture of `instanceTypes` (one AMI per node group). */
  readonly architecture: ec2.InstanceArchitecture;
  readonly prefixDelegation: boolean;
}

/** Checks the props that stand alone and fills in their defaults (a PropError naming the prop otherwise). */
export function resolveClusterSettings(stackName: string, props: ScopeClusterProps): ClusterSettings {
  const envName = props.envName ?? defaultEnvName(stackName);
  validateEnvName(envName);

  const version = props.version ?? defaultKubernetesVersion();
  validatePattern('version', version.version, /^1\.\d{2}$/, `must be a Kubernetes minor version such as ${DEFAULT_KUBERNETES_VERSION}`);
  const nodeCount = props.nodeCount ?? 2;
  validateInteger('nodeCount', nodeCount, 1, MAX_NODE_COUNT);
  const nodeDiskSize = props.nodeDiskSize ?? 20;
  validateInteger('nodeDiskSize', nodeDiskSize, 20, 16384);
  if (props.instanceType && props.instanceTypes) {
    throw new PropError('Invalid instanceType/instanceTypes: give one of them (instanceTypes for several types, e.g. for Spot capacity).');
  }
  if (props.instanceTypes?.length === 0) {
    throw new PropError('Invalid instanceTypes []: give at least one EC2 instance type, or leave it out for the default m7i.large.');
  }
  const instanceTypes = props.instanceTypes ?? [props.instanceType ?? new ec2.InstanceType('m7i.large')];
  const architecture = instancesArchitecture(instanceTypes);
  const prefixDelegation = props.prefixDelegation ?? false;
  checkNodeTypes(props, instanceTypes, { nodeCount, prefixDelegation });
  return { envName, version, nodeCount, nodeDiskSize, instanceTypes, architecture, prefixDelegation };
}

/** The one architecture of `instanceTypes`, or an Error naming the prop when a type does not parse or they differ. */
function instancesArchitecture(instanceTypes: ec2.InstanceType[]): ec2.InstanceArchitecture {
  const architectures = instanceTypes.map(instanceType => {
    try {
      return instanceType.architecture;
    } catch {
      throw new PropError(`Invalid instanceType '${instanceType}': must be an EC2 instance type such as m7i.large or m7g.large (family, generation, size).`);
    }
  });
  if (new Set(architectures).size > 1) {
    throw new PropError(`Invalid instanceTypes [${instanceTypes.join(', ')}]: all must have one architecture (one AMI per node group), `
      + 'e.g. only Graviton (arm64) types such as t4g.medium, m7g.medium or only x86_64 types.');
  }
  return architectures[0];
}

/** A size EC2 sells and enough pod slots for the cluster's own pods (instance-type-checks.ts). */
function checkNodeTypes(props: ScopeClusterProps, instanceTypes: ec2.InstanceType[], n: { nodeCount: number; prefixDelegation: boolean }): void {
  const single = props.instanceTypes === undefined;
  checkInstanceSizes(instanceTypes, single);
  const frontendOn = props.frontend?.enabled ?? true;
  checkPodSlots(instanceTypes, single, {
    ...n,
    controllerReplicas: frontendOn ? props.frontend?.controllerReplicas ?? 2 : 0,
    helloWorld: props.helloWorld ?? false,
  });
}
