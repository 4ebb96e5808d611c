/**
 * Delivers a private repository's credentials from Secrets Manager into the cluster without the
 * value entering a template (not exported from the package).
 *
 * Why a CronJob and not the External Secrets Operator or the Secrets Store CSI driver (ASCP):
 * ESO is another Helm chart with three always-on pods (controller, webhook, cert-controller);
 * the CSI driver and the AWS provider are two DaemonSets (a pod per node) and only mount files into
 * pods, so a Secret for source-controller would still need a pod that mounts it. A CronJob costs
 * one short-lived pod every 5 minutes and no Lambda function; a Job from the same pod spec fills
 * the Secret once at deploy time, and the deploy waits for it. Its Pod Identity role may read this
 * one secret only; its Kubernetes role may get and patch this one Secret only.
 */
import { createHash } from 'crypto';
import { Arn, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ScopeCluster } from '../cluster';
import { dependOnPodIdentity } from '../private/pod-identity-ready';

/**
 * Official AWS CLI v2 image on ECR Public (amazonlinux:2 with bash; linux/amd64 and linux/arm64):
 * https://docs.aws.amazon.com/cli/latest/userguide/getting-started-docker.html. AWS CLI 2.15+
 * picks up EKS Pod Identity credentials (container credentials provider). Pinned by tag and
 * digest: 2.37.9, the newest release whose digest a public source records (the "Manifest digest"
 * table of an EKS lab kit found with the search tool, checked against public.ecr.aws); 2.37.11
 * exists, but no source with its digest was found, and the digest is not invented here.
 */
export const AWS_CLI_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.37.9@sha256:92de75724b6a746951f0e8b915d86bbccd7cb55aff96cd0cb4f7017272160780';

/**
 * kubectl images of the Kubernetes project, one per Kubernetes minor version ScopeCluster drives
 * (kubectl supports API servers one minor version either side): entrypoint kubectl, distroless;
 * linux/amd64, arm64, s390x, ppc64le; published for every release since 1.28
 * (https://github.com/kubernetes/kubernetes/pull/116672). Pinned by tag and digest, the newest
 * patch release whose digest public repositories pin (found with the search tool): v1.34.3 (an
 * image mirror list, `source: registry.k8s.io/kubectl`), v1.35.4 and v1.36.3 (Dockerfiles,
 * `FROM/COPY --from=registry.k8s.io/kubectl:<tag>@sha256:...`). v1.35.5 and v1.36.4 exist, but no
 * source with their digests was found.
 */
const KUBECTL_IMAGES = new Map<string, string>([
  ['1.34', 'registry.k8s.io/kubectl:v1.34.3@sha256:6ce78c335505eb75728df3eb77f8a86786ca93108a656466a2f30b51cb05e4f0'],
  ['1.35', 'registry.k8s.io/kubectl:v1.35.4@sha256:e8bc9c71a813d90d5f7689fa57516b2aacd7a02bb9d70d3ab6664ed6d202fc10'],
  ['1.36', 'registry.k8s.io/kubectl:v1.36.3@sha256:6e4fce3c83651edb91b74bc67701c5cd263dd8aa3cd4254b1798d6425a5ab789'],
]);

/**
 * The kubectl image for a cluster on Kubernetes `version`: the pinned one of that minor version,
 * else (a version ScopeCluster drives only with a custom kubectlLayer) the tag `v<version>.0`.
 */
export function kubectlImage(version: string): string {
  return KUBECTL_IMAGES.get(version) ?? `registry.k8s.io/kubectl:v${version}.0`;
}

/** Service account of the sync job. */
const SERVICE_ACCOUNT = 'git-credentials-sync';

/** Every 5 minutes: a rotated secret reaches the cluster within 5 minutes. */
const SCHEDULE = '*/5 * * * *';

/** What createGitCredentialsSync needs. */
export interface GitCredentialsSyncProps {
  readonly cluster: ScopeCluster;
  readonly secret: secretsmanager.ISecret;
  /** Namespace of the Kubernetes Secret, the jobs and their RBAC. */
  readonly namespace: string;
  /** Name of the Kubernetes Secret to keep filled. */
  readonly secretName: string;
}

/** The job's role, the manifest holding the Secret, the RBAC, the CronJob and the Job, and the wait for the Job. */
export interface GitCredentialsSync {
  readonly role: iam.IRole;
  readonly manifest: eks.KubernetesManifest;
  /** Succeeds once the deploy-time Job has filled the Secret: what reads the Secret depends on this. */
  readonly filled: eks.KubernetesObjectValue;
}

/** Labels of every object of the sync job. */
const LABELS = { 'app.kubernetes.io/name': SERVICE_ACCOUNT, 'app.kubernetes.io/part-of': 'cdk-scope-environment' };

/**
 * Security context of both containers, Pod Security Standards "restricted"
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/): no root, no privilege
 * escalation, every capability dropped, the runtime's seccomp profile; and a read-only root filesystem.
 */
const RESTRICTED = {
  runAsNonRoot: true,
  runAsUser: 65534,
  runAsGroup: 65534,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

const MOUNTS = [{ name: 'work', mountPath: '/work' }, { name: 'tmp', mountPath: '/tmp' }];

/** Where in-cluster clients (kubectl) look for the service account token, CA and namespace. */
const API_ACCESS_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The Kubernetes API credentials of the kubectl container only: the pod sets
 * automountServiceAccountToken false, so the AWS CLI container gets no Kubernetes token, and this
 * volume is what the automount would add (a bound, expiring token, the cluster CA from
 * `kube-root-ca.crt` and the namespace: "kube-api-access" in
 * https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#bound-service-account-token-volume).
 * EKS Pod Identity does not need it: its webhook adds its own projected token (audience
 * pods.eks.amazonaws.com, volume eks-pod-identity-token) and the credential variables
 * (aws-samples/amazon-eks-security-immersion-day, "Deep Dive into EKS Pod Identity").
 */
const API_ACCESS_VOLUME = {
  name: 'kube-api-access',
  projected: {
    sources: [
      { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};

// set -o pipefail, no set -x: the value lives only in a variable and the memory-backed /work.
const SCRIPT = [
  'set -euo pipefail',
  'value="$(aws secretsmanager get-secret-value --secret-id "$SECRET_ARN" --query SecretString --output text)"',
  'case "$value" in "{"*) ;; *) echo "$SECRET_ARN is not a JSON object (see the gitOps.secret docs)" >&2; exit 1 ;; esac',
  'printf \'{"apiVersion":"v1","kind":"Secret","metadata":{"name":"%s","namespace":"%s"},"type":"Opaque","stringData":%s}\' '
    + '"$SECRET_NAME" "$SECRET_NAMESPACE" "$value" > /work/secret.json',
  'echo "read $SECRET_ARN"',
].join('\n');

/**
 * A CronJob that copies `secret` (a JSON object) into the Kubernetes Secret `secretName`, and a
 * Job from the same pod spec that does it once at deploy time: an init container with the AWS CLI
 * reads the value with the job's Pod Identity role and writes a Secret manifest (`stringData` = the
 * JSON object) into a memory-backed volume; kubectl then server-side applies it. The value is
 * never printed; the pod's spec holds only the secret's ARN.
 */
export function createGitCredentialsSync(scope: Construct, id: string, props: GitCredentialsSyncProps): GitCredentialsSync {
  const { cluster, secret, namespace, secretName } = props;
  // The EKS Pod Identity webhook injects the credentials into init containers as well as
  // containers (updatePodSpec in https://github.com/aws/amazon-eks-pod-identity-webhook/blob/master/pkg/handler/handler.go).
  const role = cluster.serviceAccountRole(namespace, SERVICE_ACCOUNT);
  // GetSecretValue + DescribeSecret on this secret, and kms:Decrypt when its key is known.
  secret.grantRead(role);
  // The secret's own region (it may be another region's secret, given by ARN).
  const region = Arn.split(secret.secretArn, ArnFormat.COLON_RESOURCE_NAME).region ?? Stack.of(scope).region;
  const template = { metadata: { labels: LABELS }, spec: podSpec(secret.secretArn, secretName, namespace, region, cluster.version.version) };
  const jobSpec = { backoffLimit: 2, activeDeadlineSeconds: 240, template };
  const jobName = deployJobName(scope, template);

  const manifest = new eks.KubernetesManifest(scope, id, {
    cluster: cluster.eksCluster,
    manifest: [
      ...accessObjects(namespace, secretName),
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: SERVICE_ACCOUNT, namespace, labels: LABELS },
        spec: { schedule: SCHEDULE, concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1, jobTemplate: { spec: jobSpec } },
      },
      // Without it the Secret stays empty until the CronJob's first run, up to 5 minutes after
      // the deploy, and Flux's first fetch fails. A Job's pod template cannot change, so the name
      // carries a hash of it: a new template is a new Job, and the old one is pruned.
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: jobName, namespace, labels: LABELS }, spec: jobSpec },
    ],
  });
  // Pods get their credentials at start: the role, its policy and the Pod Identity association
  // (siblings of the role) and the agent must exist first.
  dependOnPodIdentity(manifest, role, cluster.eksCluster);

  // The deploy waits (polled by the kubectl handler) until the Job reports a succeeded pod; a Job
  // that fails (bad secret, no access) fails the deploy here instead of leaving Flux without credentials.
  const filled = new eks.KubernetesObjectValue(scope, `${id}Filled`, {
    cluster: cluster.eksCluster,
    objectType: 'job',
    objectName: jobName,
    objectNamespace: namespace,
    jsonPath: '.status.succeeded',
    timeout: Duration.minutes(5),
  });
  filled.node.addDependency(manifest);
  return { role, manifest, filled };
}

/** `git-credentials-sync-<hash>`: the hash of the Job's resolved pod template (deterministic per template). */
function deployJobName(scope: Construct, template: unknown): string {
  const resolved = JSON.stringify(Stack.of(scope).resolve(template));
  return `${SERVICE_ACCOUNT}-${createHash('sha256').update(resolved).digest('hex').slice(0, 10)}`;
}

/** The Secret (created empty), the job's service account and its RBAC: get and patch on that one Secret. */
function accessObjects(namespace: string, secretName: string): Array<{ [key: string]: unknown }> {
  const labels = LABELS;
  return [
    // Created empty here so the job needs no `create` right (which RBAC cannot limit to one name).
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace, labels }, type: 'Opaque' },
    // No token in every pod of this account: the kubectl container mounts one itself (API_ACCESS_VOLUME).
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SERVICE_ACCOUNT, namespace, labels }, automountServiceAccountToken: false },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: SERVICE_ACCOUNT, namespace, labels },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [secretName], verbs: ['get', 'patch'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: SERVICE_ACCOUNT, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SERVICE_ACCOUNT },
      subjects: [{ kind: 'ServiceAccount', name: SERVICE_ACCOUNT, namespace }],
    },
  ];
}

/** The job's pod: the AWS CLI init container reads the secret, the kubectl container applies it. */
function podSpec(secretArn: string, secretName: string, namespace: string, region: string, kubernetesVersion: string): { [key: string]: unknown } {
  return {
    serviceAccountName: SERVICE_ACCOUNT,
    automountServiceAccountToken: false,
    restartPolicy: 'Never',
    securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
    initContainers: [{
      name: 'read',
      image: AWS_CLI_IMAGE,
      command: ['/bin/bash', '-c', SCRIPT],
      env: [
        { name: 'SECRET_ARN', value: secretArn },
        { name: 'SECRET_NAME', value: secretName },
        { name: 'SECRET_NAMESPACE', value: namespace },
        { name: 'AWS_REGION', value: region },
        { name: 'HOME', value: '/tmp' },
      ],
      securityContext: RESTRICTED,
      volumeMounts: MOUNTS,
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    }],
    containers: [{
      name: 'apply',
      image: kubectlImage(kubernetesVersion),
      // In-cluster config from the service account token; prints only "secret/<name> serverside-applied".
      args: ['apply', '--server-side', '--force-conflicts', `--field-manager=${SERVICE_ACCOUNT}`, '-f', '/work/secret.json'],
      env: [{ name: 'HOME', value: '/tmp' }],
      securityContext: RESTRICTED,
      volumeMounts: [...MOUNTS, { name: API_ACCESS_VOLUME.name, mountPath: API_ACCESS_PATH, readOnly: true }],
      resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
    }],
    volumes: [
      { name: 'work', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      API_ACCESS_VOLUME,
    ],
  };
}
