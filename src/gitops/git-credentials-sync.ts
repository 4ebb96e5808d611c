/**
 * Delivers a private repository's credentials from Secrets Manager into the cluster without the
 * value entering a template (not exported from the package).
 *
 * Why a CronJob and not the External Secrets Operator or the Secrets Store CSI driver (ASCP):
 * ESO is another Helm chart with three always-on pods (controller, webhook, cert-controller);
 * the CSI driver and the AWS provider are two DaemonSets (a pod per node) and only mount files into
 * pods, so a Secret for source-controller would still need a pod that mounts it. A CronJob costs
 * one short-lived pod every 5 minutes and no Lambda function. Its Pod Identity role may read this
 * one secret only; its Kubernetes role may get and patch this one Secret only.
 */
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ScopeCluster } from '../cluster';
import { dependOnPodIdentity } from '../private/pod-identity-ready';

/**
 * Official AWS CLI v2 image on ECR Public (amazonlinux:2 with bash; linux/amd64 and linux/arm64):
 * https://docs.aws.amazon.com/cli/latest/userguide/getting-started-docker.html. AWS CLI 2.15+
 * picks up EKS Pod Identity credentials (container credentials provider).
 */
export const AWS_CLI_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.32.2';

/**
 * kubectl image of the Kubernetes project, for the cluster's minor version (kubectl supports API
 * servers one minor version either side): entrypoint kubectl; linux/amd64, arm64, s390x, ppc64le;
 * published for every release since 1.28 (https://github.com/kubernetes/kubernetes/pull/116672).
 */
export function kubectlImage(version: string): string {
  return `registry.k8s.io/kubectl:v${version}.0`;
}

/** Service account of the sync job. */
const SERVICE_ACCOUNT = 'git-credentials-sync';

/** Every 5 minutes: a rotated secret reaches the cluster within 5 minutes. */
const SCHEDULE = '*/5 * * * *';

/** What createGitCredentialsSync needs. */
export interface GitCredentialsSyncProps {
  readonly cluster: ScopeCluster;
  readonly secret: secretsmanager.ISecret;
  /** Namespace of the Kubernetes Secret, the job and its RBAC. */
  readonly namespace: string;
  /** Name of the Kubernetes Secret to keep filled. */
  readonly secretName: string;
}

/** The job's role and the manifest holding the Secret, the RBAC and the CronJob. */
export interface GitCredentialsSync {
  readonly role: iam.IRole;
  readonly manifest: eks.KubernetesManifest;
}

/** Labels of every object of the sync job. */
const LABELS = { 'app.kubernetes.io/name': SERVICE_ACCOUNT, 'app.kubernetes.io/part-of': 'cdk-scope-environment' };

/** Security context of both containers: no root, no privilege escalation, no capabilities, read-only root filesystem. */
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
 * A CronJob that copies `secret` (a JSON object) into the Kubernetes Secret `secretName`:
 * an init container with the AWS CLI reads the value with the job's Pod Identity role and writes a
 * Secret manifest (`stringData` = the JSON object) into a memory-backed volume; kubectl then
 * server-side applies it. The value is never printed; the pod's spec holds only the secret's ARN.
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

  const manifest = new eks.KubernetesManifest(scope, id, {
    cluster: cluster.eksCluster,
    manifest: [
      ...accessObjects(namespace, secretName),
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: SERVICE_ACCOUNT, namespace, labels: LABELS },
        spec: {
          schedule: SCHEDULE,
          concurrencyPolicy: 'Forbid',
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 1,
          jobTemplate: {
            spec: {
              backoffLimit: 2,
              activeDeadlineSeconds: 240,
              template: { metadata: { labels: LABELS }, spec: podSpec(secret.secretArn, secretName, namespace, region, cluster.version.version) },
            },
          },
        },
      },
    ],
  });
  // Pods get their credentials at start: the role, its policy and the Pod Identity association
  // (siblings of the role) and the agent must exist first.
  dependOnPodIdentity(manifest, role, cluster.eksCluster);
  return { role, manifest };
}

/** The Secret (created empty), the job's service account and its RBAC: get and patch on that one Secret. */
function accessObjects(namespace: string, secretName: string): Array<{ [key: string]: unknown }> {
  const labels = LABELS;
  return [
    // Created empty here so the job needs no `create` right (which RBAC cannot limit to one name).
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace, labels }, type: 'Opaque' },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SERVICE_ACCOUNT, namespace, labels } },
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
    restartPolicy: 'Never',
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
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
      volumeMounts: MOUNTS,
      resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
    }],
    volumes: [
      { name: 'work', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    ],
  };
}
