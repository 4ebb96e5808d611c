/**
 * EKS Pod Identity plumbing shared by ScopeCluster and FrontendEndpoint, and the Kubernetes name
 * checks every part uses (not exported from the package).
 */
import { aws_eks as eksv1, aws_iam as iam } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { validatePattern } from '../private/validate';

/** Namespace and service account of the AWS Load Balancer Controller. */
export const CONTROLLER_NAMESPACE = 'kube-system';
export const CONTROLLER_SERVICE_ACCOUNT = 'aws-load-balancer-controller';

/** Kubernetes namespace and service account names are DNS-1123 labels / subdomains. */
const NAMESPACE_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SERVICE_ACCOUNT_PATTERN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Fails unless `value` is a valid Kubernetes namespace name. */
export function validateNamespace(prop: string, value: string | undefined): void {
  validatePattern(prop, value, NAMESPACE_PATTERN,
    'must be a Kubernetes namespace name: lower-case a-z, 0-9 and -, starting and ending with a letter or digit, at most 63 characters');
}

/** Fails unless `value` is a valid Kubernetes service account (or Service) name. */
export function validateServiceAccountName(prop: string, value: string | undefined): void {
  validatePattern(prop, value, SERVICE_ACCOUNT_PATTERN,
    'must be a Kubernetes object name: lower-case a-z, 0-9, - and ., starting and ending with a letter or digit, at most 253 characters');
}

/** A role and the Pod Identity association that hands it to one service account. */
export interface PodIdentityBinding {
  readonly role: iam.Role;
  readonly association: eksv1.CfnPodIdentityAssociation;
}

/**
 * Creates, in `scope`, a role that EKS Pod Identity can assume (pods.eks.amazonaws.com with
 * sts:AssumeRole + sts:TagSession) and binds it to `namespace/serviceAccount` of `cluster`.
 */
export function createPodIdentityRole(scope: Construct, cluster: eks.ICluster, namespace: string, serviceAccount: string): PodIdentityBinding {
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
    description: `EKS Pod Identity role for service account ${namespace}/${serviceAccount}`,
  });
  const association = new eksv1.CfnPodIdentityAssociation(scope, 'Association', {
    clusterName: cluster.clusterName,
    namespace,
    serviceAccount,
    roleArn: role.roleArn,
  });
  return { role, association };
}

/**
 * The Pod Identity roles of one cluster, one per service account, created on first request as
 * `<scope>/<namespace>/<name>/Role` and `.../Association` (those ids are the roles' logical IDs).
 * The namespace constructs are kept in a typed map, not looked up by id.
 */
export class ServiceAccountRoles {
  private readonly roles = new Map<string, iam.Role>();
  private readonly namespaces = new Map<string, Construct>();

  constructor(private readonly scope: Construct, private readonly cluster: eks.ICluster) {}

  /** Records a role that another construct made for `namespace/name`, so it is handed out instead of a new one. */
  public add(namespace: string, name: string, role: iam.Role): void {
    this.roles.set(`${namespace}/${name}`, role);
  }

  /** The role of service account `namespace/name`: the recorded one, or a new one. */
  public roleFor(namespace: string, name: string): iam.Role {
    validateNamespace('namespace', namespace);
    validateServiceAccountName('name', name);
    const key = `${namespace}/${name}`;
    let role = this.roles.get(key);
    if (!role) {
      let nsScope = this.namespaces.get(namespace);
      if (!nsScope) {
        nsScope = new Construct(this.scope, namespace);
        this.namespaces.set(namespace, nsScope);
      }
      role = createPodIdentityRole(new Construct(nsScope, name), this.cluster, namespace, name).role;
      this.roles.set(key, role);
    }
    return role;
  }
}
