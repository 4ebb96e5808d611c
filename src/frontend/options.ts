import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** How the frontend endpoint is built; shared by FrontendEndpoint and ScopeCluster's `frontend` option. */
export interface FrontendEndpointOptions {
  /**
   * Namespace of the Kubernetes Service the load balancer sends traffic to. Created (and kept
   * when the frontend is removed) unless it is `default`.
   * @default 'default'
   */
  readonly namespace?: string;

  /**
   * Name of the Kubernetes Service the load balancer sends traffic to.
   * @default 'frontend'
   */
  readonly serviceName?: string;

  /**
   * Port of the Kubernetes Service (its `spec.ports[].port`) that the TargetGroupBinding refers to.
   * @default 80
   */
  readonly servicePort?: number;

  /**
   * Port the pods behind the Service listen on (the Service's `targetPort`). The target group
   * uses it and the cluster security group admits the load balancer on it.
   * @default - same as `servicePort`
   */
  readonly targetPort?: number;

  /**
   * Listener ports of the load balancer. Port 443 gets a TLS listener that terminates at the
   * load balancer with `certificate`; every other port is plain TCP. All forward to the same
   * target group.
   * @default [80]
   */
  readonly ports?: number[];

  /**
   * ACM certificate for the TLS listener on port 443. Required when `ports` contains 443 and
   * allowed only then.
   * @default - no TLS listener
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Deletion protection of the load balancer. While it is on, `cdk destroy` (and any change that
   * replaces the load balancer) fails at the load balancer: turn it off and deploy first.
   * @default false (ScopeEnvironment: true in PRODUCTION)
   */
  readonly deletionProtection?: boolean;

  /**
   * S3 bucket for the load balancer's access logs (same region; SSE-S3 or a customer managed KMS
   * key that lets `delivery.logs.amazonaws.com` use it). A Network Load Balancer logs TLS
   * connections only, so logs appear only with a listener on 443. The bucket policy gets the
   * log delivery statements of the Elastic Load Balancing documentation.
   * @default - no access logs
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * Key prefix of the access logs in `accessLogsBucket` (without `AWSLogs`, no leading or trailing slash).
   * @default 'frontend'
   */
  readonly accessLogsPrefix?: string;

  /**
   * Version of the `aws-load-balancer-controller` Helm chart (https://aws.github.io/eks-charts).
   * @default '3.5.0' (controller v3.5.0)
   */
  readonly controllerChartVersion?: string;

  /**
   * Replicas of the AWS Load Balancer Controller. With 2 or more they are spread over nodes (one
   * per node where possible) and get a PodDisruptionBudget of maxUnavailable 1, so draining a
   * node never stops every controller. 1 saves a pod slot on small clusters.
   * @default 2
   */
  readonly controllerReplicas?: number;
}

/** Options of ScopeCluster's frontend endpoint. */
export interface FrontendOptions extends FrontendEndpointOptions {
  /**
   * Whether ScopeCluster builds the frontend endpoint at all. Set to `false` for a cluster with
   * no public entry point: no load balancer and no load balancer controller are created and
   * `ScopeCluster.frontend` is `undefined`. (A flag inside the options object, because jsii
   * cannot express a `boolean | FrontendOptions` prop.)
   * @default true
   */
  readonly enabled?: boolean;
}

/** Props of FrontendEndpoint. */
export interface FrontendEndpointProps extends FrontendEndpointOptions {
  /** The cluster whose Service the load balancer serves; the controller is installed into it. */
  readonly cluster: eks.Cluster;
}
