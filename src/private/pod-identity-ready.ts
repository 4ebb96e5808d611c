/**
 * Ordering of a workload after the Pod Identity role it uses (not exported from the package).
 */
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * Makes `workload` (a Helm release or manifest whose pods use `role`) depend on the role, its
 * policy, its Pod Identity association and the cluster's Pod Identity agent: pods get their
 * credentials when they start, so all of these must exist first; on delete, the workload goes
 * first. The role's scope holds its association (`createPodIdentityRole` of src/cluster/pod-identity.ts).
 */
export function dependOnPodIdentity(workload: IConstruct, role: iam.IRole, cluster: eks.Cluster): void {
  workload.node.addDependency(role.node.scope ?? role);
  const agent = cluster.eksPodIdentityAgent;
  if (agent) workload.node.addDependency(agent);
}
