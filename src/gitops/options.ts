import { Duration } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ScopeCluster } from '../cluster';

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
   * `ssh://`. A Job in `flux-system` copies it into the Kubernetes Secret
   * `<envName>-git-credentials` during the deploy (Flux starts once it has), and a CronJob
   * every 5 minutes after that (a rotated secret arrives within 5 minutes), both with one Pod Identity role; the value never
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
