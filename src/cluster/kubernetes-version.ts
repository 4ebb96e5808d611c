import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PropError } from '../private/validate';

/**
 * What happens to the cluster when its Kubernetes version reaches the end of EKS standard support
 * (the cluster's `UpgradePolicy.SupportType`).
 */
export enum ClusterSupportType {
  /**
   * EKS upgrades the control plane to the next version at the end of standard support; the
   * cluster is never billed for extended support ($0.10 per cluster-hour throughout).
   */
  STANDARD = 'STANDARD',
  /**
   * The cluster stays on its version for up to 12 more months of extended support, billed
   * $0.60 instead of $0.10 per cluster-hour while it is in extended support (CloudFormation's default).
   */
  EXTENDED = 'EXTENDED',
}

/**
 * The Kubernetes version a new cluster gets: the newest version in EKS standard support that
 * aws-cdk-lib 2.257 and a published kubectl layer can drive. EKS calendar
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, release notes
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions-standard.html): 1.36 released on EKS
 * 2026-06-02, standard support to 2027-08-02 (dates and sources in benchmarks/kubernetes-versions.json).
 * aws-cdk-lib 2.257 has no `KubernetesVersion.V1_36` yet, hence `of('1.36')`.
 */
export const DEFAULT_KUBERNETES_VERSION = '1.36';

/**
 * The kubectl/helm layer for each Kubernetes version ScopeCluster can drive without a
 * `kubectlLayer` prop. 1.34 stays for clusters deployed with the old default: EKS upgrades one
 * minor version at a time (1.34 -> 1.35 -> 1.36), so they pin 1.35 first (README "Upgrading Kubernetes").
 */
const KUBECTL_LAYERS = new Map<string, (scope: Construct, id: string) => lambda.ILayerVersion>([
  ['1.34', (scope, id) => new KubectlV34Layer(scope, id)],
  ['1.35', (scope, id) => new KubectlV35Layer(scope, id)],
  ['1.36', (scope, id) => new KubectlV36Layer(scope, id)],
]);

/** Kubernetes versions that come with a bundled kubectl layer, oldest first. */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = [...KUBECTL_LAYERS.keys()];

/** The default version as a KubernetesVersion. */
export function defaultKubernetesVersion(): eks.KubernetesVersion {
  return eks.KubernetesVersion.of(DEFAULT_KUBERNETES_VERSION);
}

/**
 * The kubectl layer for `version`: `given` if there is one, else the bundled layer of that
 * version; an Error naming `version` and `kubectlLayer` when neither exists.
 */
export function kubectlLayerFor(scope: Construct, id: string, version: eks.KubernetesVersion, given?: lambda.ILayerVersion): lambda.ILayerVersion {
  if (given) return given;
  const layer = KUBECTL_LAYERS.get(version.version);
  if (!layer) {
    throw new PropError(`Invalid version ${version.version}: a kubectl layer is bundled for Kubernetes ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')} only; `
      + `use one of these (KubernetesVersion.of('${DEFAULT_KUBERNETES_VERSION}') is the default) or pass cluster.kubectlLayer with the layer for ${version.version} `
      + `(e.g. from @aws-cdk/lambda-layer-kubectl-v${version.version.replace(/^1\./, '')}).`);
  }
  return layer(scope, id);
}
