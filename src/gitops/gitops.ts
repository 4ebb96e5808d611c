import { Duration, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { createFlux, createSync, FLUX_NAMESPACE } from './flux';
import { createGitCredentialsSync } from './git-credentials-sync';
import { GitOpsProps } from './options';
import { validateNamespace } from '../cluster/pod-identity';
import { validateChartVersion } from '../private/helm';
import { PropError, validateEnvName, validatePattern } from '../private/validate';

/**
 * GitOps for one environment: installs Flux (fluxcd-community `flux2` Helm chart, only
 * source-controller and kustomize-controller) and syncs one path of one branch of the
 * application's repository into the cluster (a `GitRepository` and a `Kustomization` named after
 * the environment in `flux-system`, with prune, wait and a timeout). Private repositories get
 * their credentials from a Secrets Manager secret through a small CronJob (and a Job at deploy time)
 * with a Pod Identity role.
 */
export class GitOps extends Construct {
  /** Default version of the fluxcd-community `flux2` Helm chart: 2.18.3, Flux v2.8.5. */
  public static readonly DEFAULT_CHART_VERSION = '2.18.3';

  /** The Flux Helm release (its CRDs come with it). */
  public readonly flux: eks.HelmChart;
  /** The `GitRepository` and `Kustomization` objects. */
  public readonly sync: eks.KubernetesManifest;
  /** Name of the GitRepository and the Kustomization (namespace `flux-system`). */
  public readonly name: string;
  /** Repository URL. */
  public readonly repository: string;
  /** Branch followed. */
  public readonly branch: string;
  /** Path synced. */
  public readonly path: string;
  /** Name of the Kubernetes Secret (in `flux-system`) that holds the repository credentials, when `secret` is given. */
  public readonly credentialsSecretName?: string;
  /** Pod Identity role of the CronJob that copies `secret` into the cluster, when `secret` is given. */
  public readonly credentialsRole?: iam.IRole;

  constructor(scope: Construct, id: string, props: GitOpsProps) {
    super(scope, id);
    const cluster = props.cluster;
    this.name = props.envName ?? cluster.envName;
    validateEnvName(this.name);
    this.repository = props.repository;
    this.branch = props.branch ?? 'main';
    this.path = props.path ?? `deploy/${this.name}`;
    const interval = props.interval ?? Duration.minutes(1);
    const timeout = props.timeout ?? Duration.minutes(5);
    const chartVersion = props.chartVersion ?? GitOps.DEFAULT_CHART_VERSION;
    validateProps(props, this.repository, this.branch, this.path, interval, timeout, chartVersion);
    if (cluster.helloWorld) {
      throw new PropError('Invalid cluster: its helloWorld is on, and helloWorld and GitOps cannot both be on: both would own the Service that '
        + 'the frontend load balancer serves. Turn helloWorld off; the application from git provides that Service.');
    }

    this.flux = createFlux(this, cluster, chartVersion);
    let credentialsFilled: eks.KubernetesObjectValue | undefined;
    if (props.secret) {
      this.credentialsSecretName = `${this.name}-git-credentials`;
      const sync = createGitCredentialsSync(this, 'CredentialsSync', {
        cluster,
        secret: props.secret,
        namespace: FLUX_NAMESPACE,
        secretName: this.credentialsSecretName,
      });
      this.credentialsRole = sync.role;
      credentialsFilled = sync.filled;
      // flux-system comes with the chart.
      sync.manifest.node.addDependency(this.flux);
    }

    this.sync = createSync(this, {
      cluster,
      name: this.name,
      repository: this.repository,
      branch: this.branch,
      path: this.path,
      interval,
      timeout,
      targetNamespace: props.targetNamespace,
      credentialsSecretName: this.credentialsSecretName,
    });
    // The CRDs and the flux-system namespace come with the chart; on delete, the Kustomization
    // goes first, while kustomize-controller still runs to prune what it applied.
    this.sync.node.addDependency(this.flux);
    // Flux's first fetch of a private repository finds the Secret filled (by the deploy-time Job).
    if (credentialsFilled) this.sync.node.addDependency(credentialsFilled);
    // The application's pods get the frontend's pod readiness gate only when its namespace label,
    // Service binding and the controller's webhook exist before they do (src/frontend/binding.ts).
    if (cluster.frontend) this.sync.node.addDependency(cluster.frontend.binding);
  }
}

/** Fails unless the resolved props are ones Flux accepts. */
function validateProps(props: GitOpsProps, repository: string, branch: string, path: string, interval: Duration,
  timeout: Duration, chartVersion: string): void {
  validatePattern('repository', repository, /^(https?|ssh):\/\/[^\s]+$/,
    'must be a git URL Flux can clone: https://host/org/repo or ssh://git@host/org/repo (not the scp-like git@host:org/repo)');
  if (!Token.isUnresolved(repository) && repository.startsWith('ssh://') && !props.secret) {
    throw new PropError(`Invalid repository '${repository}': ssh:// needs secret with the private key (identity) and known_hosts.`);
  }
  if (!Token.isUnresolved(repository) && /^(https?|ssh):\/\/[^/@\s]+:[^/@\s]*@/.test(repository)) {
    throw new PropError('Invalid repository: it contains a password; put the credentials in a Secrets Manager secret and pass it as secret.');
  }
  // git check-ref-format, simplified: no spaces, ~ ^ : ? * [ \, no `..`, no leading `-` or `/`.
  validatePattern('branch', branch, /^(?!-|\/)(?!.*\.\.)(?!.*\/\/)[^\s~^:?*[\\]{1,255}(?<![./])$/,
    'must be a git branch name (no spaces, ~ ^ : ? * [ \\ or "..", not starting with - or /)');
  validatePattern('path', path, /^(\.\/)?(?!\/)(?!.*(^|\/)\.\.(\/|$))[\w.\/-]{1,255}$/,
    'must be a directory relative to the repository root (letters, digits, _ . - /, no ".." and no leading /), e.g. deploy/dev');
  validateSeconds('interval', interval, 10);
  validateSeconds('timeout', timeout, 30);
  validateChartVersion('chartVersion', chartVersion, 'fluxcd-community flux2', '2.18.3');
  if (props.targetNamespace !== undefined) validateNamespace('targetNamespace', props.targetNamespace);
}

/** Fails unless `duration` is a whole number of seconds, at least `min`. */
function validateSeconds(prop: string, duration: Duration, min: number): void {
  if (Token.isUnresolved(duration.toString())) return;
  const seconds = duration.toMilliseconds() / 1000;
  if (!Number.isInteger(seconds) || seconds < min) {
    throw new PropError(`Invalid ${prop} ${duration.toHumanString()}: must be a whole number of seconds, at least ${min} seconds.`);
  }
}
