import { Duration, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { createGitCredentialsSync } from './git-credentials-sync';
import { ScopeCluster } from '../cluster';
import { validateNamespace } from '../cluster/pod-identity';
import { PropError, validateEnvName, validatePattern } from '../private/validate';

/** Namespace of the Flux controllers and of the GitRepository and Kustomization objects. */
const FLUX_NAMESPACE = 'flux-system';

/**
 * How often the Kustomization re-applies the path to undo changes made by hand (drift correction).
 * A new commit does not wait for it: kustomize-controller applies a new source revision as soon as
 * source-controller has fetched it (https://fluxcd.io/flux/components/kustomize/kustomizations/#interval).
 */
const DRIFT_INTERVAL = Duration.minutes(10);

/** How the environment pulls its application from git (ScopeEnvironment's `gitOps` prop). */
export interface GitOpsOptions {
  /**
   * URL of the application's git repository: `https://host/org/repo` or `ssh://git@host/org/repo`
   * (Flux does not accept the scp-like `git@host:org/repo` form). `ssh://` needs `secret`.
   */
  readonly repository: string;

  /**
   * Directory in the repository whose manifests (plain YAML or a `kustomization.yaml`) make up this
   * environment's application, relative to the repository root.
   * @default `deploy/<envName>`
   */
  readonly path?: string;

  /**
   * Branch to follow.
   * @default 'main'
   */
  readonly branch?: string;

  /**
   * How often Flux checks the branch for new commits (GitRepository `interval`); at least 10 seconds.
   * Drift correction (re-applying unchanged manifests) runs every 10 minutes regardless.
   * @default Duration.minutes(1)
   */
  readonly interval?: Duration;

  /**
   * Secrets Manager secret with the credentials of a private repository, as JSON with the keys
   * Flux expects: `{"username": "git", "password": "<token>"}` for `https://` (a personal access
   * or deploy token), `{"identity": "<private key PEM>", "known_hosts": "<host key line>"}` for
   * `ssh://`. A CronJob in `flux-system` copies it into the Kubernetes Secret
   * `<envName>-git-credentials` every 5 minutes with its own Pod Identity role; the value never
   * enters a template. A secret encrypted with your own KMS key must be imported with its key
   * (`Secret.fromSecretAttributes(..., { encryptionKey })`) so the role may decrypt it.
   * @default - a public repository, no credentials
   */
  readonly secret?: secretsmanager.ISecret;

  /**
   * How long one apply plus its health checks (every applied object must become ready) may take
   * before the Kustomization is marked not Ready.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;

  /**
   * Namespace set on every namespaced object of the path, overriding what the manifests say.
   * Leave it unset when the manifests carry their own namespaces (e.g. `scope` for the services
   * and `default` for the `frontend` Service).
   * @default - the namespaces written in the manifests
   */
  readonly targetNamespace?: string;

  /**
   * Version of the fluxcd-community `flux2` Helm chart (https://fluxcd-community.github.io/helm-charts).
   * @default '2.18.3' (Flux v2.8.5)
   */
  readonly chartVersion?: string;
}

/** Props of GitOps. */
export interface GitOpsProps extends GitOpsOptions {
  /** The cluster Flux is installed into. */
  readonly cluster: ScopeCluster;

  /**
   * Environment name: names the GitRepository, the Kustomization and the default `path`.
   * @default - the cluster's envName
   */
  readonly envName?: string;
}

/**
 * GitOps for one environment: installs Flux (fluxcd-community `flux2` Helm chart, only
 * source-controller and kustomize-controller) and syncs one path of one branch of the
 * application's repository into the cluster (a `GitRepository` and a `Kustomization` named after
 * the environment in `flux-system`, with prune, wait and a timeout). Private repositories get
 * their credentials from a Secrets Manager secret through a small CronJob with a Pod Identity role.
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

    // Only the two controllers a GitRepository + Kustomization need: 2 pods instead of 6 (the
    // chart's create flags: https://github.com/fluxcd-community/helm-charts/blob/main/charts/flux2/values.yaml).
    // Without notification-controller the chart drops kustomize/source-controller's --events-addr.
    // The images (ghcr.io/fluxcd/*) are multi-arch (amd64, arm64).
    this.flux = new eks.HelmChart(this, 'Flux', {
      cluster: cluster.cluster,
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
    this.flux.node.addDependency(cluster.nodegroup);

    let credentialsSync: eks.KubernetesManifest | undefined;
    if (props.secret) {
      this.credentialsSecretName = `${this.name}-git-credentials`;
      const sync = createGitCredentialsSync(this, 'CredentialsSync', {
        cluster,
        secret: props.secret,
        namespace: FLUX_NAMESPACE,
        secretName: this.credentialsSecretName,
      });
      this.credentialsRole = sync.role;
      credentialsSync = sync.manifest;
      // flux-system comes with the chart.
      credentialsSync.node.addDependency(this.flux);
    }

    this.sync = new eks.KubernetesManifest(this, 'Sync', {
      cluster: cluster.cluster,
      manifest: [
        {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          metadata: { name: this.name, namespace: FLUX_NAMESPACE },
          spec: {
            url: this.repository,
            ref: { branch: this.branch },
            interval: fluxDuration(interval),
            timeout: '60s',
            ...(this.credentialsSecretName ? { secretRef: { name: this.credentialsSecretName } } : {}),
          },
        },
        {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: this.name, namespace: FLUX_NAMESPACE },
          spec: {
            sourceRef: { kind: 'GitRepository', name: this.name },
            path: `./${this.path.replace(/^\.(\/|$)/, '')}`,
            interval: fluxDuration(DRIFT_INTERVAL),
            retryInterval: '1m',
            timeout: fluxDuration(timeout),
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
    // The CRDs and the flux-system namespace come with the chart; on delete, the Kustomization
    // goes first, while kustomize-controller still runs to prune what it applied.
    this.sync.node.addDependency(this.flux);
    if (credentialsSync) this.sync.node.addDependency(credentialsSync);
  }
}

/** A Duration as a Go duration string (what Flux's `interval`/`timeout` fields take), e.g. `300s`. */
function fluxDuration(duration: Duration): string {
  return `${duration.toSeconds()}s`;
}

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
  validatePattern('chartVersion', chartVersion, /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/,
    'must be a version of the fluxcd-community flux2 Helm chart such as 2.18.3');
  if (props.targetNamespace !== undefined) validateNamespace('targetNamespace', props.targetNamespace);
}

function validateSeconds(prop: string, duration: Duration, min: number): void {
  if (Token.isUnresolved(duration.toString())) return;
  const seconds = duration.toMilliseconds() / 1000;
  if (!Number.isInteger(seconds) || seconds < min) {
    throw new PropError(`Invalid ${prop} ${duration.toHumanString()}: must be a whole number of seconds, at least ${min} seconds.`);
  }
}
