/**
 * The Kubernetes side of the frontend endpoint: the Service's namespace (labelled for pod
 * readiness gates) and the TargetGroupBinding that lets the controller fill the target group
 * (internal: not exported from the package).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { DEFAULT_CONTROLLER_CHART_VERSION } from './controller';
import { CONTROLLER_NAMESPACE } from '../cluster/pod-identity';

/** Service of the controller's admission webhook (chart default name prefix `aws-load-balancer`). */
const CONTROLLER_WEBHOOK_SERVICE = 'aws-load-balancer-webhook-service';

/**
 * The namespace label that makes the controller's pod webhook inject a readiness gate into every
 * pod it creates afterwards that a Service bound by a TargetGroupBinding (target type ip) selects:
 * the pod is Ready only once its target is healthy in the target group, so a rollout or a node
 * drain never leaves the target group with only "initial" or "draining" targets ("this results in
 * service outage"). AWS Load Balancer Controller docs, docs/deploy/pod_readiness_gate.md
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/pod_readiness_gate/):
 * the gate is injected only at pod creation, so the label, the Service and the binding must exist
 * before the pods; the pod webhook's failurePolicy is Ignore on controller versions after v2.11.0,
 * so pods still start (without the gate) while the controller is down.
 */
export const READINESS_GATE_LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';

/** What createTargetGroupBinding needs (defaults already applied). */
export interface TargetGroupBindingProps {
  readonly cluster: eks.Cluster;
  /** The controller's Helm release, whose webhook validates the binding. */
  readonly controller: eks.HelmChart;
  readonly chartVersion: string;
  readonly targetGroup: elbv2.INetworkTargetGroup;
  readonly namespace: string;
  readonly serviceName: string;
  readonly servicePort: number;
  readonly targetPort: number;
  /** Suffix of the binding's construct id ('' for the default Service), see `bindingKey`. */
  readonly bindingKey: string;
}

/**
 * The controller's webhook rejects a changed targetGroupARN on an existing TargetGroupBinding
 * and a second binding on one target group, and Port is create-only on the target group: so
 * a change of target port, Service or namespace replaces the target group and the binding
 * together (new construct ids, new binding name), never updates them. The first key keeps
 * the ids of earlier releases.
 */
export function bindingKey(namespace: string, serviceName: string, targetPort: number): string {
  return namespace === 'default' && serviceName === 'frontend' && targetPort === 80
    ? '' : `-${namespace}-${serviceName}-${targetPort}`;
}

/** The binding and the Service's namespace (`undefined` for `default`, which is only labelled). */
export interface TargetGroupBinding {
  readonly binding: eks.KubernetesManifest;
  readonly namespace?: eks.KubernetesManifest;
}

/**
 * Creates, in `scope`, the Service's namespace with the readiness gate label (or, for `default`,
 * a patch that adds the label), a wait for the controller's webhook and the TargetGroupBinding of
 * the Service to the target group. The binding depends on all of them, so whatever depends on the
 * binding (the helloWorld app, the GitOps sync) starts its pods with the readiness gate.
 */
export function createTargetGroupBinding(scope: Construct, props: TargetGroupBindingProps): TargetGroupBinding {
  const { cluster, namespace, serviceName, targetPort, chartVersion } = props;
  const labels = { [READINESS_GATE_LABEL]: 'enabled' };
  const namespaceManifest = namespace === 'default' ? undefined : new eks.KubernetesManifest(scope, 'Namespace', {
    cluster,
    // Adding the label is an in-place update of this manifest (kubectl apply), for existing namespaces too.
    manifest: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels } }],
    overwrite: true,
    // The application lives in this namespace: removing the frontend must not delete it.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // `default` exists in every cluster and is not the stack's to own: label it with a patch that
  // removes the label again when the frontend is removed.
  const label = namespaceManifest ?? new eks.KubernetesPatch(scope, 'ReadinessGateLabel', {
    cluster,
    resourceName: 'namespace/default',
    applyPatch: { metadata: { labels } },
    restorePatch: { metadata: { labels: { [READINESS_GATE_LABEL]: null } } },
    patchType: eks.PatchType.MERGE,
  });

  // The binding is validated by the controller's webhook: Helm's --wait returns once the pod is
  // ready, but the webhook Service can lag without endpoints for a moment, and a failed create
  // rolls the whole stack back. Wait (up to 5 min, polled every 10 s by the kubectl handler)
  // until the Service has a ready address. Named after the chart version, so a chart upgrade waits again.
  // v1 Endpoints is deprecated since Kubernetes 1.33 but still served; EndpointSlice names are
  // generated, and KubernetesObjectValue needs a fixed object name.
  const webhookReady = new eks.KubernetesObjectValue(scope, `ControllerWebhookReady${chartVersion === DEFAULT_CONTROLLER_CHART_VERSION ? '' : `-${chartVersion}`}`, {
    cluster,
    objectType: 'endpoints',
    objectName: CONTROLLER_WEBHOOK_SERVICE,
    objectNamespace: CONTROLLER_NAMESPACE,
    jsonPath: '.subsets[0].addresses[0].ip',
    timeout: Duration.minutes(5),
  });
  webhookReady.node.addDependency(props.controller);

  const binding = new eks.KubernetesManifest(scope, `TargetGroupBinding${props.bindingKey}`, {
    cluster,
    manifest: [{
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'TargetGroupBinding',
      metadata: { name: props.bindingKey ? `${serviceName}-${targetPort}` : serviceName, namespace },
      spec: {
        serviceRef: { name: serviceName, port: props.servicePort },
        targetGroupARN: props.targetGroup.targetGroupArn,
        targetType: 'ip',
      },
    }],
  });
  binding.node.addDependency(props.controller, webhookReady, label);
  return { binding, namespace: namespaceManifest };
}
