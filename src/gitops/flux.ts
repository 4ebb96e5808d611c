/**
 * Flux and the sync of one path of one branch (internal: not exported from the package).
 */
import { Duration } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { ScopeCluster } from '../cluster';

/** Namespace of the Flux controllers and of the GitRepository and Kustomization objects. */
export const FLUX_NAMESPACE = 'flux-system';

/**
 * How often the Kustomization re-applies the path to undo changes made by hand (drift correction).
 * A new commit does not wait for it: kustomize-controller applies a new source revision as soon as
 * source-controller has fetched it (https://fluxcd.io/flux/components/kustomize/kustomizations/#interval).
 */
const DRIFT_INTERVAL = Duration.minutes(10);

/** Installs, in `scope`, the fluxcd-community `flux2` chart `chartVersion` into `cluster` (construct `Flux`). */
export function createFlux(scope: Construct, cluster: ScopeCluster, chartVersion: string): eks.HelmChart {
  // Only the two controllers a GitRepository + Kustomization need: 2 pods instead of 6 (the
  // chart's create flags: https://github.com/fluxcd-community/helm-charts/blob/main/charts/flux2/values.yaml).
  // Without notification-controller the chart drops kustomize/source-controller's --events-addr.
  // The images (ghcr.io/fluxcd/*) are multi-arch (amd64, arm64).
  const flux = new eks.HelmChart(scope, 'Flux', {
    cluster: cluster.eksCluster,
    repository: 'https://fluxcd-community.github.io/helm-charts',
    chart: 'flux2',
    release: 'flux',
    version: chartVersion,
    namespace: FLUX_NAMESPACE,
    createNamespace: true,
    // The CRDs are chart templates (installCRDs), so they are in place when Helm returns; waiting
    // for the controllers also means the GitRepository is fetched as soon as it exists.
    wait: true,
    timeout: Duration.minutes(10),
    values: {
      installCRDs: true,
      sourceController: { create: true },
      kustomizeController: { create: true },
      helmController: { create: false },
      notificationController: { create: false },
      imageAutomationController: { create: false },
      imageReflectionController: { create: false },
      sourceWatcher: { create: false },
    },
  });
  // The controllers run on the nodes.
  flux.node.addDependency(cluster.nodegroup);
  return flux;
}

/** What createSync needs (defaults already applied). */
export interface SyncProps {
  readonly cluster: ScopeCluster;
  /** Name of the GitRepository and the Kustomization. */
  readonly name: string;
  readonly repository: string;
  readonly branch: string;
  readonly path: string;
  readonly interval: Duration;
  readonly timeout: Duration;
  readonly targetNamespace?: string;
  /** Kubernetes Secret with the repository credentials. */
  readonly credentialsSecretName?: string;
}

/** Creates, in `scope`, the `GitRepository` and `Kustomization` objects (construct `Sync`). */
export function createSync(scope: Construct, props: SyncProps): eks.KubernetesManifest {
  const { name } = props;
  return new eks.KubernetesManifest(scope, 'Sync', {
    cluster: props.cluster.eksCluster,
    manifest: [
      {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name, namespace: FLUX_NAMESPACE },
        spec: {
          url: props.repository,
          ref: { branch: props.branch },
          interval: fluxDuration(props.interval),
          timeout: '60s',
          ...(props.credentialsSecretName ? { secretRef: { name: props.credentialsSecretName } } : {}),
        },
      },
      {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name, namespace: FLUX_NAMESPACE },
        spec: {
          sourceRef: { kind: 'GitRepository', name },
          path: `./${props.path.replace(/^\.(\/|$)/, '')}`,
          interval: fluxDuration(DRIFT_INTERVAL),
          retryInterval: '1m',
          timeout: fluxDuration(props.timeout),
          // Objects removed from git are removed from the cluster, and deleting this
          // Kustomization (cdk destroy, gitOps turned off) removes everything it applied.
          prune: true,
          // Ready only when every applied object is healthy (Deployments rolled out, ...).
          wait: true,
          ...(props.targetNamespace ? { targetNamespace: props.targetNamespace } : {}),
        },
      },
    ],
  });
}

/** A Duration as a Go duration string (what Flux's `interval`/`timeout` fields take), e.g. `300s`. */
function fluxDuration(duration: Duration): string {
  return `${duration.toSeconds()}s`;
}
