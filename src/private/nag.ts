/**
 * cdk-nag acknowledgements that the library records on the resources it creates, so a consumer
 * who runs cdk-nag (`new AwsSolutionsChecks().validateScope(app)`) on their own app sees only
 * findings about their own resources. Each reason says what the resource is, why it is so and
 * what compensates. Nothing here depends on cdk-nag: acknowledgements are construct metadata
 * (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`) that cdk-nag reads on a resource and its ancestors.
 */
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';

/** One acknowledged cdk-nag rule (or one granular finding of it) and why. */
export interface NagAcknowledgement {
  /** Rule id, e.g. `AwsSolutions-EKS1`, or a granular finding `AwsSolutions-IAM5[Resource::...]`. */
  readonly id: string;
  /** Why the finding is accepted: the resource, the need, what compensates. */
  readonly reason: string;
}

/**
 * Acknowledges `rules` on `scope` (and so on every resource below it). Granular ids contain `::`,
 * which `Validations.acknowledge()` reserves for its own prefixes and rejects, so those are written
 * to the same metadata key directly (that is all `acknowledge()` records for cdk-nag as well).
 */
export function acknowledge(scope: IConstruct, ...rules: NagAcknowledgement[]): void {
  const plain = rules.filter(r => !r.id.includes('::'));
  const granular = rules.filter(r => r.id.includes('::'));
  if (plain.length > 0) Validations.of(scope).acknowledge(...plain);
  if (granular.length > 0) {
    const data: { [id: string]: string } = {};
    for (const rule of granular) data[rule.id] = rule.reason;
    scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, data);
  }
}

/**
 * A CloudFormation value the way cdk-nag writes it in a granular finding id: `Ref` as `<Id>`,
 * `Fn::GetAtt` as `<Id.Attr>`, `Fn::Join` joined, anything else as JSON.
 */
export function nagValue(scope: IConstruct, value: unknown): string {
  const visit = (node: any): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\${/g, '<').replace(/}/g, '>');
    if (node['Fn::Join']) {
      const [delimiter, items] = node['Fn::Join'];
      return items.map(visit).join(delimiter);
    }
    if (node['Fn::Sub']) return visit(node['Fn::Sub']);
    if (node['Fn::GetAtt']) return `<${visit(node['Fn::GetAtt'][0])}.${visit(node['Fn::GetAtt'][1])}>`;
    if (node['Fn::ImportValue']) return visit(node['Fn::ImportValue']);
    if (node.Ref) return `<${visit(node.Ref)}>`;
    return JSON.stringify(node);
  };
  return visit(Stack.of(scope).resolve(value));
}

/** Why each AWS managed policy that aws-cdk-lib attaches to the roles it creates for us is needed. */
const MANAGED_POLICY_REASONS: { [policyName: string]: string } = {
  AWSLambdaBasicExecutionRole: 'AWS managed policy that aws-cdk-lib attaches to every Lambda role it creates: only logs:CreateLogGroup, '
    + 'logs:CreateLogStream and logs:PutLogEvents, so the function can write its own logs. The role is assumed only by lambda.amazonaws.com '
    + 'for this one deployment-time function.',
  AWSLambdaVPCAccessExecutionRole: 'AWS managed policy that aws-cdk-lib attaches to a Lambda function placed in a VPC: the ENI actions '
    + '(ec2:CreateNetworkInterface, DescribeNetworkInterfaces, DeleteNetworkInterface, Assign/UnassignPrivateIpAddresses) Lambda needs '
    + 'to attach the function to private subnets; they have no resource-level permissions. The role is assumed only by lambda.amazonaws.com.',
  AmazonEKSClusterPolicy: 'The EKS cluster service role needs AmazonEKSClusterPolicy, the AWS managed policy EKS documents for it '
    + '(AWS keeps it in step with EKS features). The role is assumed only by eks.amazonaws.com for this cluster.',
  AmazonEKSWorkerNodePolicy: 'The managed node group role needs AmazonEKSWorkerNodePolicy (nodes join the cluster and describe their '
    + 'EC2 environment), as EKS documents. Pods cannot use the node role: IMDSv2 with a hop limit of 1 keeps them off the instance '
    + 'metadata service, and services get their own Pod Identity roles.',
  AmazonEKS_CNI_Policy: 'The Amazon VPC CNI (aws-node) on each node assigns pod IPs with this AWS managed policy (ENI and IP address '
    + 'actions that have no resource-level permissions), as EKS documents for the node role; pods cannot use the node role (IMDSv2, hop limit 1).',
  AmazonEC2ContainerRegistryReadOnly: 'Read-only pulls from Amazon ECR: nodes pull EKS add-on and application images, the kubectl '
    + 'handler pulls Helm charts kept in ECR. It is the AWS managed read-only policy EKS documents; no write or delete action.',
  AmazonRDSEnhancedMonitoringRole: 'RDS enhanced monitoring (monitoringInterval) publishes OS metrics with this AWS managed policy, '
    + 'which allows only CloudWatch Logs actions on RDS* log groups (RDSOSMetrics); the role is assumed only by monitoring.rds.amazonaws.com.',
  CloudWatchAgentServerPolicy: 'Container Insights (amazon-cloudwatch-observability add-on): the CloudWatch agent and Fluent Bit pods '
    + 'publish metrics (cloudwatch:PutMetricData), write their log groups (logs:CreateLogStream/PutLogEvents/...) and read EC2 and X-Ray '
    + 'metadata with the AWS managed policy CloudWatch documents for the agent; the role is assumed only through EKS Pod Identity by the '
    + 'add-on\'s cloudwatch-agent service account.',
  AmazonElasticContainerRegistryPublicReadOnly: 'Read-only pulls of Helm charts from ECR Public by the kubectl handler of aws-eks-v2, '
    + 'added by aws-cdk-lib only in partitions where ECR Public exists; no write action.',
};

/**
 * Acknowledges IAM4 for each AWS managed policy attached to `role` that MANAGED_POLICY_REASONS
 * explains; any other managed policy stays a finding.
 */
export function acknowledgeManagedPolicies(role: iam.IRole | undefined): void {
  const cfnRole = role?.node.defaultChild;
  if (!(cfnRole instanceof iam.CfnRole)) return;
  const arns = Stack.of(cfnRole).resolve(cfnRole.managedPolicyArns) as unknown[] | undefined;
  for (const arn of arns ?? []) {
    const flat = nagValue(cfnRole, arn);
    const name = Object.keys(MANAGED_POLICY_REASONS).find(n => flat.includes(`:iam::aws:policy/${n}`) || flat.includes(`:iam::aws:policy/service-role/${n}`));
    if (name) acknowledge(cfnRole, { id: `AwsSolutions-IAM4[Policy::${flat}]`, reason: MANAGED_POLICY_REASONS[name] });
  }
}

/** Acknowledges AwsSolutions-L1 on a Lambda function whose runtime aws-cdk-lib or the build pins. */
export function acknowledgeRuntime(fn: IConstruct | undefined, reason: string): void {
  const cfn = fn?.node.defaultChild;
  if (cfn instanceof CfnResource) acknowledge(cfn, { id: 'AwsSolutions-L1', reason });
}

/**
 * Acknowledges the findings on the provider framework of a custom resource (`cr.Provider`) that
 * calls `handler`: its role's AWS managed policies, its permission to invoke the handler's versions
 * (`<handler arn>:*`) and its runtime, which aws-cdk-lib chooses. The framework's onEvent function
 * is the Provider's Lambda function whose ARN is the service token (provider.js, aws-cdk-lib
 * 2.257.0: `serviceToken = entrypoint.functionArn`); its role's default policy is that role's one
 * `iam.Policy` child.
 */
export function acknowledgeProviderFramework(provider: cr.Provider | undefined, handler: lambda.IFunction, what: string): void {
  const framework = provider?.node.children.find((c): c is lambda.Function =>
    c instanceof lambda.Function && c.functionArn === provider.serviceToken);
  if (!framework) return;
  acknowledgeManagedPolicies(framework.role);
  const policy = framework.role?.node.children.find(c => c instanceof iam.Policy);
  if (policy) {
    acknowledge(policy, {
      id: `AwsSolutions-IAM5[Resource::${nagValue(policy, handler.functionArn)}:*]`,
      reason: `The custom resource provider framework of ${what} may invoke exactly one function, its handler; aws-cdk-lib grants `
        + 'lambda:InvokeFunction on the handler ARN and on `<handler ARN>:*` (its versions and aliases), no other function.',
    });
  }
  acknowledgeRuntime(framework, `Provider framework function of ${what}: aws-cdk-lib chooses and updates its runtime `
    + '(a supported Node.js LTS runtime); it runs only during deployments.');
}
