/**
 * The helloWorld smoke-test app: a Deployment and a ClusterIP Service named after the frontend
 * Service, so the frontend endpoint answers before the real application exists.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { validateNamespace, validateServiceAccountName } from './pod-identity';
import { FrontendEndpoint, FrontendOptions } from '../frontend';
import { PropError, validateInteger } from '../private/validate';

/** Port the helloWorld smoke-test container listens on. */
const HELLO_WORLD_PORT = 80;

/**
 * The helloWorld image: agnhost, the Kubernetes project's own multi-arch test image (amd64, arm64,
 * ...), from registry.k8s.io (no anonymous pull limits), pinned by tag and digest. Its `netexec`
 * server answers 200 on `/` ("NOW: <time>", rootHandler in kubernetes test/images/agnhost/netexec).
 * Digest of the multi-arch index as pinned by kubernetes-sigs/kueue hack/agnhost/Dockerfile
 * (commit 0645200, https://github.com/kubernetes-sigs/kueue/blob/main/hack/agnhost/Dockerfile).
 */
const HELLO_WORLD_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.56@sha256:352a050380078cb2a1c246357a0dfa2fcf243ee416b92ff28b44a01d1b4b0294';

/**
 * Deploys the helloWorld app in `scope` (`HelloWorld`, and `HelloWorldNamespace` when there is no
 * frontend to bring a namespace other than `default`), behind the Service the frontend points at.
 */
export function addHelloWorld(scope: Construct, cluster: eks.ICluster, frontend: FrontendEndpoint | undefined,
  frontendOptions: FrontendOptions): void {
  const namespace = frontendOptions.namespace ?? 'default';
  const serviceName = frontendOptions.serviceName ?? 'frontend';
  const servicePort = frontendOptions.servicePort ?? 80;
  const targetPort = frontendOptions.targetPort ?? servicePort;
  if (frontend && targetPort !== HELLO_WORLD_PORT) {
    throw new PropError(`Invalid frontend.targetPort ${targetPort}: helloWorld pods listen on port ${HELLO_WORLD_PORT}; set frontend.targetPort to ${HELLO_WORLD_PORT} or turn helloWorld off.`);
  }
  validateNamespace('frontend.namespace', namespace);
  validateServiceAccountName('frontend.serviceName', serviceName);
  validateInteger('frontend.servicePort', servicePort, 1, 65535);
  const manifest = new eks.KubernetesManifest(scope, 'HelloWorld', {
    cluster,
    manifest: helloWorldManifest(namespace, serviceName, servicePort),
  });
  if (frontend) {
    // The namespace (when not `default`) and its readiness gate label come with the frontend, and
    // its binding waits for the controller's webhook: the pods get the readiness gate.
    manifest.node.addDependency(frontend);
  } else if (namespace !== 'default') {
    manifest.node.addDependency(new eks.KubernetesManifest(scope, 'HelloWorldNamespace', {
      cluster,
      manifest: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }],
      overwrite: true,
      removalPolicy: RemovalPolicy.RETAIN,
    }));
  }
}

/** Unprivileged user and group of the helloWorld container (agnhost's image runs as root unless told otherwise). */
const NOBODY = 65534;

/**
 * Pod Security Standards "restricted" (https://kubernetes.io/docs/concepts/security/pod-security-standards/):
 * non-root, no privilege escalation, every capability dropped, the runtime's seccomp profile; plus
 * a read-only root filesystem and no service account token (the smoke test never calls the API).
 * A non-root process may bind port 80 through the namespaced sysctl
 * `net.ipv4.ip_unprivileged_port_start`, one of the "safe" sysctls the Baseline and Restricted
 * policies allow (same page, "Sysctls"); NET_BIND_SERVICE would not help a non-root process.
 */
function helloWorldPodSecurity(): { pod: { [key: string]: unknown }; container: { [key: string]: unknown } } {
  return {
    pod: {
      automountServiceAccountToken: false,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: NOBODY,
        runAsGroup: NOBODY,
        seccompProfile: { type: 'RuntimeDefault' },
        sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: String(HELLO_WORLD_PORT) }],
      },
    },
    container: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    },
  };
}

/**
 * The ClusterIP Service `serviceName` on `servicePort` and, behind it, the Deployment `helloworld`
 * (1 replica, 16Mi memory request, 64Mi limit). The Service comes first: the load balancer
 * controller injects the pod readiness gate only into pods created while a bound Service selects them.
 */
function helloWorldManifest(namespace: string, serviceName: string, servicePort: number): Array<{ [key: string]: any }> {
  const labels = { app: 'helloworld' };
  const security = helloWorldPodSecurity();
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: serviceName, namespace, labels },
      spec: { type: 'ClusterIP', selector: labels, ports: [{ port: servicePort, targetPort: HELLO_WORLD_PORT, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'helloworld', namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            ...security.pod,
            containers: [{
              name: 'helloworld',
              image: HELLO_WORLD_IMAGE,
              args: ['netexec', `--http-port=${HELLO_WORLD_PORT}`, '--udp-port=-1'],
              ports: [{ containerPort: HELLO_WORLD_PORT }],
              securityContext: security.container,
              // A writable /tmp for the server, the root filesystem stays read-only.
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
              readinessProbe: { httpGet: { path: '/', port: HELLO_WORLD_PORT }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/', port: HELLO_WORLD_PORT }, initialDelaySeconds: 5, periodSeconds: 10 },
            }],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
          },
        },
      },
    },
  ];
}
