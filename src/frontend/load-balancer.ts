/**
 * The AWS side of the frontend endpoint: the Network Load Balancer, its security group, listeners,
 * IP target group and access logs (internal: not exported from the package).
 */
import { CfnResource, Duration, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from '../private/nag';
import { TLS_PORT } from '../private/ports';
import { PropError, validateInteger, validatePattern } from '../private/validate';
import { warn, WARNINGS } from '../private/warnings';

/** The listener port that gets a TLS listener (and needs `certificate`). */

/** What createLoadBalancer needs (defaults already applied). */
export interface LoadBalancerProps {
  readonly vpc: ec2.IVpc;
  /** Security group of the nodes and pods (the EKS cluster security group). */
  readonly clusterSecurityGroup: ec2.ISecurityGroup;
  readonly ports: number[];
  readonly targetPort: number;
  readonly certificate?: acm.ICertificate;
  readonly deletionProtection: boolean;
  readonly accessLogsBucket?: s3.IBucket;
  readonly accessLogsPrefix?: string;
  /** Suffix of the target group's construct id ('' for the default Service). */
  readonly bindingKey: string;
}

/** The load balancer and what belongs to it. */
export interface LoadBalancer {
  readonly securityGroup: ec2.SecurityGroup;
  readonly loadBalancer: elbv2.NetworkLoadBalancer;
  readonly targetGroup: elbv2.NetworkTargetGroup;
}

/**
 * Creates, in `scope`, an internet-facing Network Load Balancer in the public subnets, its security
 * group, an IP target group on `targetPort` and a listener per port forwarding to it.
 */
export function createLoadBalancer(scope: Construct, props: LoadBalancerProps): LoadBalancer {
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: props.vpc,
    description: 'Frontend load balancer: listener ports from anywhere, target port to the cluster',
    allowAllOutbound: false,
  });
  const nlb = new elbv2.NetworkLoadBalancer(scope, 'LoadBalancer', {
    vpc: props.vpc,
    internetFacing: true,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    securityGroups: [securityGroup],
    crossZoneEnabled: true,
    deletionProtection: props.deletionProtection,
  });
  if (props.accessLogsBucket) {
    logAccessLogs(nlb, props.accessLogsBucket, props.accessLogsPrefix ?? 'frontend');
    // "Access logs are created only if the load balancer has a TLS listener"
    // (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/enable-access-logs.html).
    if (!props.ports.includes(TLS_PORT)) {
      warn(nlb, WARNINGS.frontendAccessLogsWithoutTls, `frontend.accessLogsBucket: the load balancer has no TLS listener (ports [${props.ports.join(', ')}]), `
        + `and a Network Load Balancer writes access logs for TLS listeners only, so none will arrive. Add port ${TLS_PORT} with frontend.certificate, or leave accessLogsBucket out.`);
    }
  } else if (props.accessLogsPrefix !== undefined) {
    throw new PropError('Invalid frontend.accessLogsPrefix: it applies only with frontend.accessLogsBucket.');
  }

  const targetGroup = new elbv2.NetworkTargetGroup(scope, `TargetGroup${props.bindingKey}`, {
    vpc: props.vpc,
    port: props.targetPort,
    protocol: elbv2.Protocol.TCP,
    targetType: elbv2.TargetType.IP,
    deregistrationDelay: Duration.seconds(30),
  });
  addListeners(nlb, targetGroup, props.ports, props.certificate);
  // IP targets: the load balancer talks to the pods directly. Nodes (and so pods) carry the
  // cluster security group, which must admit the load balancer on the pods' port.
  nlb.connections.allowTo(props.clusterSecurityGroup, ec2.Port.tcp(props.targetPort), 'Frontend load balancer to frontend pods');
  return { securityGroup, loadBalancer: nlb, targetGroup };
}

/**
 * Leaves `deletion_protection.enabled` out of the load balancer's template; returns whether it was
 * on, i.e. whether the caller's last step must turn it on (ScopeEnvironment's deletion protection
 * step). A load balancer created with it on cannot be deleted when its first deploy rolls back
 * (OperationNotPermitted). CloudFormation does not reset an attribute that leaves
 * LoadBalancerAttributes: "the current state is left as-is"
 * (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/554), so an existing
 * load balancer stays protected on the upgrade that drops it.
 */
export function leaveLoadBalancerProtectionToStep(nlb: elbv2.NetworkLoadBalancer): boolean {
  const cfn = nlb.node.defaultChild as elbv2.CfnLoadBalancer;
  type Attribute = { key?: string; value?: string; Key?: string; Value?: string };
  const attributes = Stack.of(nlb).resolve(cfn.loadBalancerAttributes) as Attribute[] | undefined;
  const on = (attributes ?? []).some(a => (a.key ?? a.Key) === 'deletion_protection.enabled' && (a.value ?? a.Value) === 'true');
  if (on) nlb.removeAttribute('deletion_protection.enabled');
  return on;
}

/** A listener per port, open to the internet: TLS with `certificate` on 443, plain TCP on every other port. */
function addListeners(nlb: elbv2.NetworkLoadBalancer, targetGroup: elbv2.NetworkTargetGroup, ports: number[],
  certificate: acm.ICertificate | undefined): void {
  for (const port of ports) {
    nlb.connections.allowFromAnyIpv4(ec2.Port.tcp(port), `Frontend port ${port} from the internet`);
    nlb.addListener(`Listener${port}`, port === TLS_PORT
      ? {
        port,
        protocol: elbv2.Protocol.TLS,
        certificates: [elbv2.ListenerCertificate.fromCertificateManager(certificate!)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultTargetGroups: [targetGroup],
      }
      : { port, protocol: elbv2.Protocol.TCP, defaultTargetGroups: [targetGroup] });
  }
}

/** cdk-nag (AwsSolutions) findings that are the point of a public entry point, with reasons. */
export function acknowledgeLoadBalancer(lb: LoadBalancer, accessLogs: boolean): void {
  acknowledge(lb.securityGroup.node.defaultChild as CfnResource, {
    id: 'AwsSolutions-EC23',
    reason: 'Security group of the internet-facing frontend load balancer: it admits 0.0.0.0/0 only on the listener ports '
      + '(frontend.ports, default 80), which is what a public web entry point is for; its only egress is the target port to the cluster security group.',
  });
  if (!accessLogs) {
    acknowledge(lb.loadBalancer.node.defaultChild as CfnResource, {
      id: 'AwsSolutions-ELB2',
      reason: 'Access logs are off (frontend.accessLogsBucket not given): Network Load Balancer access logs cover TLS listeners only '
        + 'and need an S3 bucket with a log delivery policy; ScopeEnvironment turns them on in PRODUCTION. Connections are recorded by VPC flow logs.',
    });
  }
}

/** Fails unless `ports` are distinct listener ports and `certificate` is given exactly when 443 is among them. */
export function validateListenerPorts(ports: number[], certificate: acm.ICertificate | undefined): void {
  if (ports.length === 0) {
    throw new PropError('Invalid frontend.ports []: give at least one listener port (e.g. [80] or [80, 443]).');
  }
  for (const port of ports) validateInteger('frontend.ports', port, 1, 65535);
  const resolved = ports.filter(p => !Token.isUnresolved(p));
  if (new Set(resolved).size !== resolved.length) {
    throw new PropError(`Invalid frontend.ports [${ports.join(', ')}]: each port may appear only once.`);
  }
  const tls = ports.includes(TLS_PORT);
  if (tls && !certificate) {
    throw new PropError(`Invalid frontend.ports [${ports.join(', ')}]: port 443 is a TLS listener and needs frontend.certificate (an ACM certificate).`);
  }
  if (!tls && certificate) {
    throw new PropError(`Invalid frontend.certificate: it is used only by a TLS listener on port 443; add 443 to frontend.ports (now [${ports.join(', ')}]).`);
  }
}

/**
 * Access logs of `nlb` into `bucket` under `prefix`, with the bucket policy of "Enable access logs
 * for your Network Load Balancer" (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/enable-access-logs.html):
 * the log delivery service of this account and region only. (`logAccessLogs` of aws-cdk-lib also
 * grants the regional ELB account, which only Application and Classic Load Balancers use, and
 * needs the region at synth time.)
 */
function logAccessLogs(nlb: elbv2.NetworkLoadBalancer, bucket: s3.IBucket, prefix: string): void {
  validatePattern('frontend.accessLogsPrefix', prefix, /^(?!.*AWSLogs)[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/,
    'must be S3 key characters without a leading or trailing slash, and must not contain AWSLogs');
  const stack = Stack.of(nlb);
  nlb.setAttribute('access_logs.s3.enabled', 'true');
  nlb.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  nlb.setAttribute('access_logs.s3.prefix', prefix);
  const delivery = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
  const conditions = {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
  };
  const statements = [
    new iam.PolicyStatement({ sid: 'FrontendAccessLogsAclCheck', principals: [delivery], actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn], conditions }),
    new iam.PolicyStatement({
      sid: 'FrontendAccessLogsWrite',
      principals: [delivery],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`)],
      conditions: { ...conditions, StringEquals: { ...conditions.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }),
  ];
  if (!statements.map(statement => bucket.addToResourcePolicy(statement).statementAdded).every(added => added)) {
    warn(nlb, WARNINGS.frontendAccessLogsPolicy,
      'frontend.accessLogsBucket: the bucket is imported, so its policy cannot be changed here; it must already let '
      + `delivery.logs.amazonaws.com put objects under ${prefix}/AWSLogs/${stack.account}/, or the deployment fails at the load balancer.`);
  }
  // Elastic Load Balancing checks the bucket policy when access logging is turned on.
  const policy = bucket.policy?.node.defaultChild;
  if (policy) nlb.node.addDependency(policy);
}
