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
    // The namespace (when not `default`) comes with the frontend.
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

/**
 * The Deployment `helloworld` (1 replica, 16Mi memory request, 64Mi limit) and the ClusterIP
 * Service `serviceName` on `servicePort` in front of it.
 */
function helloWorldManifest(namespace: string, serviceName: string, servicePort: number): Array<{ [key: string]: any }> {
  const labels = { app: 'helloworld' };
  return [
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
            containers: [{
              name: 'helloworld',
              image: HELLO_WORLD_IMAGE,
              args: ['netexec', `--http-port=${HELLO_WORLD_PORT}`, '--udp-port=-1'],
              ports: [{ containerPort: HELLO_WORLD_PORT }],
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
              readinessProbe: { httpGet: { path: '/', port: HELLO_WORLD_PORT }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/', port: HELLO_WORLD_PORT }, initialDelaySeconds: 5, periodSeconds: 10 },
            }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: serviceName, namespace, labels },
      spec: { type: 'ClusterIP', selector: labels, ports: [{ port: servicePort, targetPort: HELLO_WORLD_PORT, protocol: 'TCP' }] },
    },
  ];
}
