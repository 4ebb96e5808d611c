/**
 * The replacement matrix: realistic edits of the example environments, each synthesized before
 * and after and compared with `fullDiff` from @aws-cdk/cloudformation-diff, which rates every
 * resource change from the CloudFormation resource specification (update, replacement, removal),
 * offline. The EDITS table below is the single source of both the test
 * (replacement-matrix.test.ts) and the README table "What a change does" (`npx projen lifecycle:table`).
 *
 * Expectations name resources as `Type` or `Type:<logical id regex>`. Adjust them here when a
 * change of the library changes what an edit does, never to hide a stateful replacement.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { readmeSection } from './readme-section';
import { DEV_ENV, DEV_PROPS, PROD_ENV, PROD_PROPS } from '../../example/environments';
import { NodeAmiRelease, ScopeEnvironment, ScopeEnvironmentProps } from '../../src';
import { Change, changed, ChangeSet, classify, formatAddedRemoved, formatResources, STATEFUL_TYPES } from '../../src/delivery/impact';

export type Profile = 'DEVELOPMENT' | 'PRODUCTION';

/** Resources that hold data or identity (the same list the change report checks: src/delivery/impact.ts). */
export { STATEFUL_TYPES };

/** One edit of an environment's props. */
export interface Edit {
  /** What the user changes (README column "change"). */
  readonly name: string;
  /** The profiles it applies to. */
  readonly profiles: Profile[];
  /** Props before the edit (default: the example environment's). */
  readonly before?: (base: ScopeEnvironmentProps, profile: Profile) => ScopeEnvironmentProps;
  /** Props after the edit. */
  readonly after: (before: ScopeEnvironmentProps, profile: Profile) => ScopeEnvironmentProps;
  /** Exactly the resources CloudFormation replaces (or may replace). */
  readonly replaced: string[];
  /** Resources that must be among the updated ones (others may be updated too, e.g. by tags). */
  readonly updated: string[];
  /** Exactly the resources added. */
  readonly added?: string[];
  /** Exactly the resources removed from the stack (deleted, or kept by their deletion policy). */
  readonly removed?: string[];
  /** Stateful resources this edit is meant to replace or remove. */
  readonly intended?: string[];
  /** What users notice while it deploys (README column). */
  readonly downtime: string;
}

const withCluster = (p: ScopeEnvironmentProps, cluster: NonNullable<ScopeEnvironmentProps['cluster']>) =>
  ({ ...p, cluster: { ...p.cluster, ...cluster } });
const withDatabase = (p: ScopeEnvironmentProps, database: NonNullable<ScopeEnvironmentProps['database']>) =>
  ({ ...p, database: { ...p.database, ...database } });
const withFrontend = (p: ScopeEnvironmentProps, frontend: NonNullable<NonNullable<ScopeEnvironmentProps['cluster']>['frontend']>) =>
  withCluster(p, { frontend: { ...p.cluster?.frontend, ...frontend } });
const nodes = (p: ScopeEnvironmentProps, profile: Profile) => p.cluster?.nodeCount ?? (profile === 'PRODUCTION' ? 3 : 2);
const BOTH: Profile[] = ['DEVELOPMENT', 'PRODUCTION'];

/** The matrix. Order is the README's. */
export const EDITS: Edit[] = [
  {
    name: 'more nodes (`cluster.nodeCount` up)',
    profiles: BOTH,
    after: (p, profile) => withCluster(p, { nodeCount: nodes(p, profile) + 2 }),
    replaced: [],
    updated: ['AWS::EKS::Nodegroup'],
    downtime: 'none: nodes are added',
  },
  {
    name: 'fewer nodes (`cluster.nodeCount` down)',
    profiles: BOTH,
    after: (p, profile) => withCluster(p, { nodeCount: nodes(p, profile) - 1 }),
    replaced: [],
    updated: ['AWS::EKS::Nodegroup'],
    downtime: 'none if the rest has room: nodes are cordoned and drained (PodDisruptionBudgets respected) before they stop',
  },
  {
    name: 'node instance type (`cluster.instanceType`)',
    profiles: BOTH,
    after: (p, profile) => withCluster(p, { instanceType: new ec2.InstanceType(profile === 'PRODUCTION' ? 'm7i.xlarge' : 't3a.medium') }),
    replaced: ['AWS::EKS::Nodegroup'],
    updated: [],
    downtime: 'a new node group comes up first, then the old one is drained and deleted; pods move once',
  },
  {
    name: 'Kubernetes minor version (`cluster.version` 1.35 → 1.36)',
    profiles: BOTH,
    before: p => withCluster(p, { version: eks.KubernetesVersion.V1_35 }),
    after: p => withCluster(p, { version: eks.KubernetesVersion.of('1.36') }),
    replaced: ['AWS::Lambda::LayerVersion'],
    updated: ['AWS::EKS::Cluster', 'AWS::EKS::Nodegroup'],
    downtime: 'none: the control plane upgrades in place, then the nodes roll one by one (README "Upgrading Kubernetes")',
  },
  {
    name: 'node AMI pinned (`cluster.amiRelease: NodeAmiRelease.pinned(...)`, default `latest()`)',
    profiles: BOTH,
    after: p => withCluster(p, { amiRelease: NodeAmiRelease.pinned('1.36.0-20261120') }),
    replaced: [],
    updated: ['AWS::EKS::Nodegroup'],
    downtime: 'none if the pin is the running release; otherwise the nodes roll one by one, drained first (PodDisruptionBudgets respected)',
  },
  {
    name: 'node AMI release bumped (`cluster.amiRelease` pin changed; with `latest()`: a deploy after an AMI release)',
    profiles: BOTH,
    before: p => withCluster(p, { amiRelease: NodeAmiRelease.pinned('1.36.0-20261120') }),
    after: p => withCluster(p, { amiRelease: NodeAmiRelease.pinned('1.36.1-20261204') }),
    replaced: [],
    updated: ['AWS::EKS::Nodegroup'],
    downtime: 'none for apps with 2+ replicas: the nodes roll one by one, drained first (PodDisruptionBudgets respected); pods move once',
  },
  {
    name: 'public API endpoint limited to CIDRs (`cluster.endpointAllowedCidrs`)',
    profiles: BOTH,
    after: p => withCluster(p, { endpointAllowedCidrs: ['203.0.113.0/24'] }),
    replaced: [],
    updated: ['AWS::EKS::Cluster'],
    downtime: 'none for the app; kubectl from other addresses stops working (the nodes and the kubectl handler use the private endpoint)',
  },
  {
    name: 'prefix delegation switched on (`cluster.prefixDelegation`; DEVELOPMENT has it on)',
    profiles: BOTH,
    before: p => withCluster(p, { prefixDelegation: false }),
    after: p => withCluster(p, { prefixDelegation: true }),
    replaced: ['AWS::EKS::Nodegroup'],
    updated: ['AWS::EKS::Addon', 'AWS::EC2::LaunchTemplate'],
    downtime: 'none if there is room: the VPC CNI is reconfigured, then a new node group comes up before the old one is drained and deleted (EKS advises new nodes, not a rolling replacement)',
  },
  {
    name: 'a tag added (`tags`)',
    profiles: BOTH,
    after: p => ({ ...p, tags: { ...p.tags, team: 'platform' } }),
    replaced: [],
    updated: ['AWS::EKS::Cluster', 'AWS::RDS::DBInstance', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket'],
    downtime: 'none: tags are updated in place; the nodes are not replaced (tags stay off the launch template unless `cluster.tagNodes`)',
  },
  {
    name: '`domain` added to an environment without one',
    profiles: ['DEVELOPMENT'],
    before: p => ({ ...p, domain: undefined }),
    after: () => ({ ...DEV_PROPS }),
    replaced: [],
    updated: [],
    added: ['AWS::Route53::HostedZone', 'AWS::Route53::RecordSet'],
    downtime: 'none; delegate the new zone (name servers output)',
  },
  {
    name: '`domain` added to an environment without one (PRODUCTION: with its certificate and HTTPS listener)',
    profiles: ['PRODUCTION'],
    before: p => ({ ...p, domain: undefined }),
    after: () => ({ ...PROD_PROPS }),
    replaced: [],
    updated: [],
    added: ['AWS::Route53::HostedZone', 'AWS::Route53::RecordSet', 'AWS::CertificateManager::Certificate', 'AWS::ElasticLoadBalancingV2::Listener',
      'Custom::ScopeAcmValidationRecordCleanup', 'AWS::IAM::Role', 'AWS::Lambda::Function'],
    downtime: 'none; delegate the new zone (name servers output); the deploy waits for ACM validation',
  },
  {
    name: 'certificate turned on (`domain.certificate`), zone deleted with the stack',
    profiles: ['DEVELOPMENT'],
    after: p => ({ ...p, domain: { ...p.domain!, certificate: true } }),
    replaced: [],
    updated: [],
    added: ['AWS::CertificateManager::Certificate', 'Custom::ScopeAcmValidationRecordCleanup', 'AWS::IAM::Role', 'AWS::Lambda::Function',
      'AWS::ElasticLoadBalancingV2::Listener'],
    downtime: 'none; the deploy waits until ACM validated the names (the zone must be delegated)',
  },
  {
    name: 'certificate turned on (`domain.certificate`), zone retained',
    profiles: ['PRODUCTION'],
    before: p => ({ ...p, domain: { ...p.domain!, certificate: false } }),
    after: p => ({ ...p, domain: { ...p.domain!, certificate: true } }),
    replaced: [],
    updated: [],
    // The validation-record cleanup acts only when the stack's creation rolls back (README "What a failed first deploy ...").
    added: ['AWS::CertificateManager::Certificate', 'Custom::ScopeAcmValidationRecordCleanup', 'AWS::IAM::Role', 'AWS::Lambda::Function',
      'AWS::ElasticLoadBalancingV2::Listener'],
    downtime: 'none; the deploy waits until ACM validated the names (the zone must be delegated)',
  },
  {
    name: 'frontend pod port (`cluster.frontend.targetPort`)',
    profiles: BOTH,
    before: p => withCluster(p, { helloWorld: false }),
    after: p => withFrontend(withCluster(p, { helloWorld: false }), { targetPort: 8080 }),
    // Target group and binding are named after the port, so both are new resources (never a changed binding).
    replaced: [],
    updated: ['AWS::ElasticLoadBalancingV2::Listener'],
    added: ['AWS::ElasticLoadBalancingV2::TargetGroup', 'Custom::AWSCDK-EKS-KubernetesResource:TargetGroupBinding',
      'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress'],
    removed: ['AWS::ElasticLoadBalancingV2::TargetGroup', 'Custom::AWSCDK-EKS-KubernetesResource:TargetGroupBinding',
      'AWS::EC2::SecurityGroupIngress', 'AWS::EC2::SecurityGroupEgress'],
    downtime: 'seconds: the listener moves to a new target group once the new binding has registered the pods',
  },
  {
    name: 'database instance class (`database.instanceType`)',
    profiles: BOTH,
    after: p => withDatabase(p, { instanceType: ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE) }),
    replaced: [],
    updated: ['AWS::RDS::DBInstance'],
    downtime: 'DEVELOPMENT: the instance restarts (minutes); PRODUCTION: multi-AZ, a failover (about a minute)',
  },
  {
    name: 'database storage size (`database.allocatedStorage` up)',
    profiles: BOTH,
    after: p => withDatabase(p, { allocatedStorage: 100 }),
    replaced: [],
    updated: ['AWS::RDS::DBInstance'],
    downtime: 'none: storage grows online (at least +10%, then 6 hours before the next change)',
  },
  {
    // What an existing PRODUCTION environment gets when it upgrades to the release that turned
    // Database Insights on by default. "Turning Performance Insights on and off doesn't cause
    // downtime, a reboot, or a failover" (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Enabling.html).
    name: 'Database Insights turned on (`database.databaseInsights`)',
    profiles: BOTH,
    before: p => withDatabase(p, { databaseInsights: false }),
    after: p => withDatabase(p, { databaseInsights: true }),
    replaced: [],
    updated: ['AWS::RDS::DBInstance'],
    downtime: 'none: Performance Insights and Database Insights turn on without a reboot or failover',
  },
  {
    name: 'rerun the database bootstrap (`database.bootstrapSerial` bump)',
    profiles: BOTH,
    after: p => withDatabase(p, { bootstrapSerial: 1 }),
    replaced: [],
    updated: ['Custom::UsersDatabaseBootstrap'],
    downtime: 'none (after a new password in the app secret: restart the users service)',
  },
  {
    name: 'access keys rotated (`users.keySerial` bump)',
    profiles: BOTH,
    after: p => ({ ...p, users: { ...p.users, keySerial: 1 } }),
    replaced: ['AWS::IAM::AccessKey'],
    intended: ['AWS::IAM::AccessKey'],
    updated: [],
    downtime: 'the old keys are deleted at the end of the deploy: restart the services that use keys right after it',
  },
  {
    name: 'queues pre-created (`queues.queues`)',
    profiles: BOTH,
    after: p => ({ ...p, queues: { queues: ['events'] } }),
    replaced: [],
    updated: [],
    added: ['AWS::SQS::Queue', 'AWS::SQS::QueuePolicy'],
    downtime: 'none',
  },
  {
    name: 'Pod Identity roles added (`users.podIdentity`)',
    profiles: ['DEVELOPMENT'],
    after: p => ({ ...p, users: { ...p.users, podIdentity: true } }),
    replaced: [],
    updated: [],
    added: ['AWS::IAM::Role', 'AWS::EKS::PodIdentityAssociation', 'AWS::IAM::Policy'],
    downtime: 'none',
  },
  {
    name: 'VPC flow logs turned on (`vpcFlowLogs`)',
    profiles: ['DEVELOPMENT'],
    after: p => ({ ...p, vpcFlowLogs: true }),
    replaced: [],
    updated: [],
    added: ['AWS::EC2::FlowLog', 'AWS::Logs::LogGroup', 'AWS::IAM::Role', 'AWS::IAM::Policy'],
    downtime: 'none',
  },
  {
    name: 'VPC flow logs turned off (`vpcFlowLogs: false`)',
    profiles: ['PRODUCTION'],
    after: p => ({ ...p, vpcFlowLogs: false }),
    replaced: [],
    updated: [],
    removed: ['AWS::EC2::FlowLog', 'AWS::Logs::LogGroup', 'AWS::IAM::Role', 'AWS::IAM::Policy'],
    intended: ['AWS::Logs::LogGroup'],
    downtime: 'none; the flow-log group stays in the account (retained) with the logs so far',
  },
  {
    name: 'load balancer controller chart (`cluster.frontend.controllerChartVersion`)',
    profiles: BOTH,
    after: p => withFrontend(p, { controllerChartVersion: '1.14.1' }),
    replaced: [],
    updated: ['Custom::AWSCDK-EKS-HelmChart'],
    // The webhook-readiness check is keyed by the chart version: a new one waits for the new controller.
    added: ['Custom::AWSCDK-EKS-KubernetesObjectValue:WebhookReady'],
    removed: ['Custom::AWSCDK-EKS-KubernetesObjectValue:WebhookReady'],
    downtime: 'none: the controller pods roll; its CRDs are not upgraded by Helm (README "Upgrading the load balancer controller")',
  },
  {
    name: 'database deletion protection off before a destroy (`database.deletionProtection: false`)',
    profiles: ['PRODUCTION'],
    after: p => withDatabase(p, { deletionProtection: false }),
    replaced: [],
    updated: ['AWS::RDS::DBInstance'],
    removed: ['Custom::UsersDatabaseDeletionProtection', 'AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::StepFunctions::StateMachine'],
    downtime: 'none',
  },
];

/** How one resource changes; `fullDiff`'s rating of two templates (src/delivery/impact.ts, shared with the change report). */
export { changed, classify };
export type { Change };

/** `logical id` -> change, for every resource that changes. */
export type EditResult = ChangeSet;

/** A stack with one environment built from `props`, synthesized. */
export function synthesize(props: ScopeEnvironmentProps, profile: Profile): any {
  const app = new App();
  const id = profile === 'PRODUCTION' ? 'prod' : 'dev';
  const stack = new Stack(app, `scope-${id}`, { env: profile === 'PRODUCTION' ? PROD_ENV : DEV_ENV });
  new ScopeEnvironment(stack, id, props);
  return app.synth().getStackByName(stack.stackName).template;
}

/** The example environment's props of `profile`. */
export function baseProps(profile: Profile): ScopeEnvironmentProps {
  return profile === 'PRODUCTION' ? PROD_PROPS : DEV_PROPS;
}

/** Whether `pattern` (`Type` or `Type:<logical id regex>`) names the resource. */
export function matches(pattern: string, type: string, logicalId: string): boolean {
  const [patternType, idPattern] = pattern.split(/:(?!:)(?=[^:]*$)/);
  if (patternType !== type) return pattern === type;
  return idPattern === undefined || new RegExp(idPattern).test(logicalId);
}

// ---- README table ------------------------------------------------------------------------------

export const TABLE_START = '<!-- lifecycle-table:start (generated by `npx projen lifecycle:table` from test/lifecycle/matrix.ts; do not edit) -->';
export const TABLE_END = '<!-- lifecycle-table:end -->';

/** The README table "What a change does", from EDITS. */
export function renderTable(): string {
  const rows = EDITS.map(e => {
    const profiles = e.profiles.length === 2 ? 'both' : e.profiles[0] === 'PRODUCTION' ? 'PRODUCTION' : 'DEVELOPMENT';
    const addedRemoved = formatAddedRemoved(e.added ?? [], e.removed ?? []);
    return `| ${e.name} | ${profiles} | ${formatResources(e.replaced)} | ${formatResources(e.updated)} | ${addedRemoved} | ${e.downtime} |`;
  });
  return [
    TABLE_START,
    '| change | profiles | replaced | updated (at least) | added / removed | downtime |',
    '|---|---|---|---|---|---|',
    ...rows,
    TABLE_END,
  ].join('\n');
}

/** README's current table section (between the markers, markers included), or undefined. */
export function readmeTable(readme: string): string | undefined {
  return readmeSection(readme, TABLE_START, TABLE_END);
}
