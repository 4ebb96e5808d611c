/**
 * Typical CloudFormation creation time of a resource, in minutes, by type. Where a figure comes
 * from a published statement or measurement, `source` cites it; every other figure is marked
 * `ESTIMATE` (the author's experience of deploying these types, not a measurement made here).
 * Only the long ones matter for the critical path: the cluster, the node group, the database,
 * the load balancer and the NAT gateway; the small ones only break ties.
 */
export interface CreationTime {
  readonly minutes: number;
  readonly source: string;
}

const ESTIMATE = 'ESTIMATE';
const SMALL = { minutes: 0.1, source: `${ESTIMATE}: one control-plane API call, seconds` };
const IAM = { minutes: 0.25, source: `${ESTIMATE}: CloudFormation waits for IAM propagation, 10-30 s` };

export const CREATION_MINUTES: { readonly [key: string]: CreationTime } = {
  'AWS::EKS::Cluster': {
    minutes: 13,
    source: 'measured 13m13s (eu-west-2) to 16m+ across 21 regions, https://easontechtalk.com/unofficial-eks-cluster-creation-performance-across-aws-regions; '
      + '"EKS cluster control plane provisioning time currently averages 15 minutes", https://github.com/aws/containers-roadmap/issues/1227; lower end taken',
  },
  'AWS::EKS::Nodegroup': {
    minutes: 4,
    source: `${ESTIMATE}: a node group stack reached CREATE_COMPLETE "after 3m36s" in https://github.com/eksctl-io/eksctl/pull/482 (self-managed); `
      + 'a managed node group also waits for its nodes to join',
  },
  'AWS::EC2::NatGateway': { minutes: 2, source: `${ESTIMATE}: CloudFormation waits for the gateway to be "available", typically 1-2 min` },
  'AWS::RDS::DBInstance': { minutes: 8, source: `${ESTIMATE}: single-AZ PostgreSQL on a small class, creation plus the first backup, 6-10 min` },
  'AWS::RDS::DBInstance (Multi-AZ)': { minutes: 15, source: `${ESTIMATE}: the standby is created and synchronised before "available", 12-20 min` },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { minutes: 3, source: `${ESTIMATE}: "provisioning" to "active", 2-4 min` },
  'Custom::AWSCDK-EKS-HelmChart': { minutes: 2, source: `${ESTIMATE}: kubectl Lambda cold start, helm install --wait until the Deployment is ready (image pull)` },
  'Custom::AWSCDK-EKS-KubernetesResource': { minutes: 0.75, source: `${ESTIMATE}: kubectl Lambda (with ~57 MB of layers) cold start and kubectl apply` },
  'Custom::AWSCDK-EKS-KubernetesObjectValue': { minutes: 0.25, source: `${ESTIMATE}: warm kubectl Lambda, kubectl get polled every 10 s until the webhook Service has an endpoint` },
  'Custom::UsersDatabaseBootstrap': { minutes: 1, source: `${ESTIMATE}: VPC Lambda cold start, TLS connection, CREATE DATABASE/ROLE` },
  'Custom::S3AutoDeleteObjects': { minutes: 0.25, source: `${ESTIMATE}: Lambda cold start, no objects to delete on create` },
  'AWS::EKS::Addon': {
    minutes: 0.33,
    source: `${ESTIMATE}: vpc-cni / eks-pod-identity-agent created before any node (a DaemonSet with no pods to roll out, as terraform-aws-eks does with before_compute); `
      + '"each time addon was created under 20 seconds" once the add-on API was ready, https://github.com/terraform-aws-modules/terraform-aws-eks/pull/3214 '
      + '(which also reports retries right after the cluster turns ACTIVE)',
  },
  'AWS::EKS::AccessEntry': SMALL,
  'AWS::EKS::PodIdentityAssociation': SMALL,
  'AWS::Lambda::Function': { minutes: 0.25, source: `${ESTIMATE}: function created, state Active within seconds` },
  'AWS::Lambda::Function (VPC)': {
    minutes: 1.5,
    source: `${ESTIMATE}: the function stays Pending until its Hyperplane ENIs exist (https://aws.amazon.com/blogs/compute/announcing-improved-vpc-networking-for-aws-lambda-functions/), commonly 1-2 min`,
  },
  'AWS::Lambda::LayerVersion': { minutes: 0.25, source: `${ESTIMATE}: layer published from the staged zip` },
  'AWS::Route53::HostedZone': {
    minutes: 1,
    source: '"Changes generally propagate to all Route 53 name servers within 60 seconds" (CloudFormation waits for INSYNC), https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-editing.html',
  },
  'AWS::Route53::RecordSet': {
    minutes: 1,
    source: '"Changes generally propagate to all Route 53 name servers within 60 seconds", https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-editing.html',
  },
  'AWS::DynamoDB::Table': { minutes: 0.5, source: `${ESTIMATE}: on-demand table "CREATING" to "ACTIVE", under a minute` },
  'AWS::S3::Bucket': { minutes: 0.25, source: `${ESTIMATE}: seconds` },
  'AWS::KMS::Key': { minutes: 0.25, source: `${ESTIMATE}: seconds` },
  'AWS::EC2::VPC': { minutes: 0.25, source: `${ESTIMATE}: seconds` },
  'AWS::EC2::VPCGatewayAttachment': { minutes: 0.25, source: `${ESTIMATE}: seconds` },
  'AWS::IAM::Role': IAM,
  'AWS::IAM::Policy': IAM,
  'AWS::IAM::User': IAM,
  'AWS::IAM::Group': IAM,
  'AWS::IAM::AccessKey': SMALL,
  'AWS::CDK::Metadata': { minutes: 0, source: 'no-op resource' },
  'default': SMALL,
};

/**
 * Kubectl/Helm custom resources served by the handler that has just served the resource they wait
 * for: the Lambda execution environment is reused ("Lambda reuses the execution environment for
 * subsequent invocations", https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html),
 * so no cold start with ~57 MB of layers, only the kubectl apply.
 */
export const WARM_KUBECTL_APPLY: CreationTime = { minutes: 0.1, source: `${ESTIMATE}: kubectl apply of one object by a warm handler, seconds` };

/**
 * A VPC function whose subnet/security group combination is already used by a function it waits
 * for: "Lambda creates a Hyperplane ENI ... for each unique combination of subnet and security
 * group"; functions that share the combination reuse it
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-enis), so
 * it does not wait for a new network interface.
 */
export const VPC_FUNCTION_SHARED_ENI: CreationTime = { minutes: 0.25, source: `${ESTIMATE}: function created, state Active within seconds (network interface already there)` };

/**
 * A Helm release installed with `--wait` completes only once its pods run, i.e. after the nodes
 * are Ready, even without a CloudFormation edge to the node group: this long after the node group.
 */
export const HELM_PODS_AFTER_NODES: CreationTime = {
  minutes: 0.5,
  source: `${ESTIMATE}: controller pod scheduled on a node that has just joined, image pulled from public.ecr.aws, ready`,
};

/** The creation time of one resource: by type, with Multi-AZ databases and VPC functions told apart. */
export function creationTime(type: string, properties: any): CreationTime & { key: string } {
  let key = type;
  if (type === 'AWS::RDS::DBInstance' && String(properties?.MultiAZ) === 'true') key = `${type} (Multi-AZ)`;
  if (type === 'AWS::Lambda::Function' && properties?.VpcConfig) key = `${type} (VPC)`;
  if (!(key in CREATION_MINUTES)) key = 'default';
  return { key, ...CREATION_MINUTES[key] };
}
