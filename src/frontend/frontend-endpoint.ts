import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { bindingKey, createTargetGroupBinding } from './binding';
import { createLoadBalancerController, DEFAULT_CONTROLLER_CHART_VERSION } from './controller';
import { acknowledgeLoadBalancer, createLoadBalancer, validateListenerPorts } from './load-balancer';
import { FrontendEndpointProps } from './options';
import { validateNamespace, validateServiceAccountName } from '../cluster/pod-identity';
import { validateChartVersion } from '../private/helm';
import { validateInteger } from '../private/validate';

/**
 * The public entry point of a cluster, owned by the stack: an internet-facing Network Load
 * Balancer in the public subnets with an IP target group, and the AWS Load Balancer Controller
 * (Helm chart, Pod Identity role) keeping that target group filled with the pods of one
 * Kubernetes Service through a `TargetGroupBinding`.
 *
 * Because CloudFormation creates the load balancer, its DNS name is known in the same deploy
 * (a DNS alias can point at it right away) and `cdk destroy` removes it without Kubernetes
 * having to clean up first.
 */
export class FrontendEndpoint extends Construct {
  /** Default version of the AWS Load Balancer Controller Helm chart (controller v3.5.0). */
  public static readonly DEFAULT_CONTROLLER_CHART_VERSION: string = DEFAULT_CONTROLLER_CHART_VERSION;

  /** The load balancer; alias a DNS record to it. */
  public readonly loadBalancer: elbv2.INetworkLoadBalancer;
  /** The load balancer's address type (IPv4 only: the VPC has no IPv6 CIDRs). */
  public readonly ipAddressType: elbv2.IpAddressType = elbv2.IpAddressType.IPV4;
  /** The IP target group that the controller fills with the Service's pods. */
  public readonly targetGroup: elbv2.INetworkTargetGroup;
  /** Security group of the load balancer (open to the internet on the listener ports). */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** Role of the AWS Load Balancer Controller, bound to its service account by Pod Identity. */
  public readonly controllerRole: iam.Role;
  /** The Helm release of the AWS Load Balancer Controller. */
  public readonly controller: eks.HelmChart;
  /** The `TargetGroupBinding` manifest; it waits for the controller and the namespace's readiness gate label. */
  public readonly binding: eks.KubernetesManifest;
  /**
   * The manifest of the Service's namespace (labelled for pod readiness gates), the one owner of
   * that namespace; `undefined` for `default`, which exists already and is only labelled.
   */
  public readonly namespaceManifest?: eks.KubernetesManifest;
  /** Namespace of the bound Service. */
  public readonly namespace: string;
  /** Name of the bound Service. */
  public readonly serviceName: string;
  /** Port of the bound Service. */
  public readonly servicePort: number;
  /** Port the pods listen on (the target group's port). */
  public readonly targetPort: number;
  /** Listener ports of the load balancer (443 is the TLS listener). */
  public readonly ports: number[];

  constructor(scope: Construct, id: string, props: FrontendEndpointProps) {
    super(scope, id);
    const cluster = props.cluster;
    this.namespace = props.namespace ?? 'default';
    this.serviceName = props.serviceName ?? 'frontend';
    this.servicePort = props.servicePort ?? 80;
    this.targetPort = props.targetPort ?? this.servicePort;
    this.ports = props.ports ?? [80];
    const chartVersion = props.controllerChartVersion ?? DEFAULT_CONTROLLER_CHART_VERSION;
    const replicas = props.controllerReplicas ?? 2;
    this.validate(props, replicas);
    const key = bindingKey(this.namespace, this.serviceName, this.targetPort);

    const lb = createLoadBalancer(this, {
      vpc: cluster.vpc,
      clusterSecurityGroup: cluster.clusterSecurityGroup,
      ports: this.ports,
      targetPort: this.targetPort,
      certificate: props.certificate,
      deletionProtection: props.deletionProtection ?? false,
      accessLogsBucket: props.accessLogsBucket,
      accessLogsPrefix: props.accessLogsPrefix,
      bindingKey: key,
    });
    this.securityGroup = lb.securityGroup;
    this.loadBalancer = lb.loadBalancer;
    this.targetGroup = lb.targetGroup;

    const controller = createLoadBalancerController(this, { cluster, targetGroup: lb.targetGroup, chartVersion, replicas });
    this.controllerRole = controller.role;
    this.controller = controller.chart;

    const binding = createTargetGroupBinding(this, {
      cluster,
      controller: this.controller,
      chartVersion,
      targetGroup: lb.targetGroup,
      namespace: this.namespace,
      serviceName: this.serviceName,
      servicePort: this.servicePort,
      targetPort: this.targetPort,
      bindingKey: key,
    });
    this.binding = binding.binding;
    this.namespaceManifest = binding.namespace;
    acknowledgeLoadBalancer(lb, props.accessLogsBucket !== undefined);
  }

  private validate(props: FrontendEndpointProps, replicas: number): void {
    validateNamespace('frontend.namespace', this.namespace);
    validateServiceAccountName('frontend.serviceName', this.serviceName);
    validateInteger('frontend.servicePort', this.servicePort, 1, 65535);
    validateInteger('frontend.targetPort', this.targetPort, 1, 65535);
    validateListenerPorts(this.ports, props.certificate);
    validateChartVersion('frontend.controllerChartVersion', props.controllerChartVersion, 'aws-load-balancer-controller', '3.5.0');
    validateInteger('frontend.controllerReplicas', replicas, 1, 10);
  }
}
