import { Annotations, Duration, RemovalPolicy, Stack, aws_eks as eksv1 } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { validateAlarmEmails } from './options';
import { estimatedMaxConnections, instanceMemoryBytes } from './rds-sizing';
import { ScopeCluster } from '../cluster';
import { UsersDatabase } from '../database';
import { denyGrantsExceptForAwsServices } from '../private/kms';
import { acknowledgeManagedPolicies } from '../private/nag';
import { defaultEnvName, PropError, validateEnvName } from '../private/validate';
import { AlarmThresholds, EnvironmentProfile, profileDefaults } from '../profile';
import { ControlQueues } from '../queue';
import { ReportStore } from '../storage';

/**
 * Where every threshold comes from: CloudWatch's "Recommended alarms" page (statistic, period,
 * datapoints and, where it gives one, the threshold), one section per service.
 */
const RECOMMENDED_ALARMS = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html';

/** The AWS managed key aws/sns cannot be used: its key policy cannot admit cloudwatch.amazonaws.com. */
const SNS_KEY_COMPATIBILITY = 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services';

/** The EKS add-on that runs the CloudWatch agent and Fluent Bit (Container Insights with enhanced observability). */
const OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';
/** Namespace and service account the add-on runs the CloudWatch agent and Fluent Bit under. */
const OBSERVABILITY_SERVICE_ACCOUNT = 'cloudwatch-agent';

/** DynamoDB operations the Scope services call on the reports table (writer: PutItem; reader: Query, GetItem, BatchGetItem). */
const TABLE_OPERATIONS = [dynamodb.Operation.PUT_ITEM, dynamodb.Operation.QUERY, dynamodb.Operation.GET_ITEM, dynamodb.Operation.BATCH_GET_ITEM];

/** The parts of an environment, in dashboard row order. */
const PARTS = ['frontend', 'cluster', 'database', 'reports', 'queues'] as const;
type Part = typeof PARTS[number];

/** How EnvironmentMonitoring is built (what ScopeEnvironment passes through as `monitoring`). */
export interface EnvironmentMonitoringOptions {
  /**
   * Monitor the environment at all. Only read by ScopeEnvironment: `false` builds no
   * EnvironmentMonitoring (no topic, alarms, dashboard or Container Insights).
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Email addresses subscribed to the alarm topic. Each gets a confirmation mail from SNS and
   * receives nothing until the link in it is followed.
   * @default - no subscription (subscribe Chatbot, PagerDuty or HTTPS endpoints to `alarmTopic`)
   */
  readonly alarmEmails?: string[];

  /**
   * Container Insights with enhanced observability: the `amazon-cloudwatch-observability` EKS
   * add-on (a CloudWatch agent and a Fluent Bit pod on every node) with a Pod Identity role, and
   * the node alarms that need its metrics. Needs `cluster`.
   * @default - on in PRODUCTION, off in DEVELOPMENT
   */
  readonly containerInsights?: boolean;

  /**
   * Send alarm and recovery (OK) notifications to the alarm topic. With `false` the alarms still
   * change state and show on the dashboard, but notify no one.
   * @default true
   */
  readonly alarmActions?: boolean;
}

/** Props of EnvironmentMonitoring: its options plus the parts it watches (each optional). */
export interface EnvironmentMonitoringProps extends EnvironmentMonitoringOptions {
  /**
   * Environment name: alarm names `<envName>-scope-<part>-<alarm>`, dashboard `<envName>-scope`.
   * @default - derived from the stack name
   */
  readonly envName?: string;

  /**
   * Profile whose thresholds and Container Insights default apply.
   * @default EnvironmentProfile.DEVELOPMENT
   */
  readonly profile?: EnvironmentProfile;

  /**
   * The cluster to watch: frontend load balancer, API server, nodes (with Container Insights).
   * @default - no cluster alarms
   */
  readonly cluster?: ScopeCluster;

  /**
   * The users database to watch: RDS alarms and the bootstrap function's errors.
   * @default - no database alarms
   */
  readonly database?: UsersDatabase;

  /**
   * The report store to watch: throttling and system errors of its table.
   * @default - no table alarms
   */
  readonly reports?: ReportStore;

  /**
   * The control queue namespace to watch: every queue under its prefix, also the ones the control
   * service creates at run time.
   * @default - no queue alarms
   */
  readonly queues?: ControlQueues;

  /**
   * Customer managed KMS key that encrypts the alarm topic and the Container Insights log groups.
   * CloudWatch must be allowed to use it (kms:Decrypt, kms:GenerateDataKey*); that is added to the key
   * policy of a key in this app. CloudWatch Logs must be allowed too (ScopeEnvironment's environment key is).
   * @default - a new key for the topic (the AWS managed aws/sns key cannot admit CloudWatch)
   */
  readonly encryptionKey?: kms.IKey;
}

/** What makes one alarm; internal. */
interface AlarmSpec {
  readonly part: Part;
  readonly id: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  /** What it means and the first thing to check (also in README "Monitoring"). */
  readonly description: string;
}

/**
 * The health of one Scope environment: an encrypted SNS alarm topic (`alarmTopic`, with optional
 * email subscriptions), alarms after CloudWatch's recommended alarms on every part it is given
 * (frontend load balancer, cluster, database, reports table, control queues), a dashboard
 * `<envName>-scope` with one row per part, and Container Insights on the cluster.
 */
export class EnvironmentMonitoring extends Construct {
  /** The topic every alarm notifies; subscribe Chatbot (Slack), PagerDuty or HTTPS endpoints to it. */
  public readonly alarmTopic: sns.ITopic;
  /** The key that encrypts the alarm topic. */
  public readonly topicKey: kms.IKey;
  /** Every alarm, in dashboard order. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The dashboard `<envName>-scope`. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The `amazon-cloudwatch-observability` add-on; only with Container Insights. */
  public readonly containerInsightsAddon?: eksv1.CfnAddon;
  /** Role of the CloudWatch agent and Fluent Bit (Pod Identity); only with Container Insights. */
  public readonly containerInsightsRole?: iam.IRole;
  /** Environment name. */
  public readonly envName: string;

  private readonly thresholds: AlarmThresholds;
  private readonly logRetention: logs.RetentionDays;
  private readonly logKey?: kms.IKey;
  private readonly alarmParts = new Map<cloudwatch.Alarm, { readonly part: Part; readonly name: string }>();
  private readonly extraWidgets = new Map<Part, cloudwatch.IWidget[]>();

  constructor(scope: Construct, id: string, props: EnvironmentMonitoringProps = {}) {
    super(scope, id);
    validateEnvName(props.envName);
    this.envName = props.envName ?? defaultEnvName(Stack.of(this).stackName);
    const defaults = profileDefaults(props.profile ?? EnvironmentProfile.DEVELOPMENT);
    this.thresholds = defaults.alarms;
    this.logRetention = defaults.logRetention;
    this.logKey = props.encryptionKey;
    validateAlarmEmails('alarmEmails', props.alarmEmails);
    const containerInsights = props.containerInsights ?? defaults.containerInsights;
    if (containerInsights && !props.cluster) {
      throw new PropError('Invalid containerInsights true: Container Insights runs on a cluster; pass cluster (a ScopeCluster) or set containerInsights to false.');
    }

    if (props.encryptionKey) {
      this.topicKey = props.encryptionKey;
    } else {
      const topicKey = new kms.Key(this, 'TopicKey', {
        description: `Encrypts the ${this.envName} Scope alarm topic`,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // Grants only for AWS services (Control Tower CT.KMS.PR.3), as on every key the library creates.
      denyGrantsExceptForAwsServices(topicKey);
      this.topicKey = topicKey;
    }
    // CloudWatch publishes to an encrypted topic only with a customer managed key whose policy
    // admits cloudwatch.amazonaws.com (SNS_KEY_COMPATIBILITY); aws/sns cannot be changed to allow it.
    // No aws:SourceAccount/SourceArn condition: AWS's example statement has none, and a condition
    // the KMS request did not carry would drop every notification silently. The grant is only
    // exercised through a Publish to this topic, which the topic policy limits to this account.
    const added = this.topicKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }), true);
    if (!added.statementAdded) {
      Annotations.of(this).addWarningV2('scope:monitoring-imported-key',
        `encryptionKey is imported: allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* in its key policy, or alarms cannot publish (${SNS_KEY_COMPATIBILITY}).`);
    }
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `${this.envName} Scope alarms`,
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    this.alarmTopic = topic;
    (props.alarmEmails ?? []).forEach(email => topic.addSubscription(new subscriptions.EmailSubscription(email)));

    if (props.cluster) this.watchCluster(props.cluster, containerInsights);
    if (props.database) this.watchDatabase(props.database);
    if (props.reports) this.watchReports(props.reports);
    if (props.queues) this.watchQueues(props.queues);

    if (props.alarmActions ?? true) {
      const action = new cwActions.SnsAction(topic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
    this.dashboard = this.createDashboard();
  }

  private alarm(spec: AlarmSpec): cloudwatch.Alarm {
    const alarmName = `${this.envName}-scope-${spec.part}-${spec.id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;
    const alarm = new cloudwatch.Alarm(this, `${spec.part[0].toUpperCase()}${spec.part.slice(1)}${spec.id}`, {
      alarmName,
      alarmDescription: spec.description,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.treatMissingData,
    });
    this.alarmParts.set(alarm, { part: spec.part, name: alarmName });
    this.alarms.push(alarm);
    return alarm;
  }

  private watchCluster(scopeCluster: ScopeCluster, containerInsights: boolean): void {
    const { GREATER_THAN_THRESHOLD: GT, LESS_THAN_THRESHOLD: LT, GREATER_THAN_OR_EQUAL_TO_THRESHOLD: GE } = cloudwatch.ComparisonOperator;
    const NOT_BREACHING = cloudwatch.TreatMissingData.NOT_BREACHING;
    const t = this.thresholds;
    const cluster = scopeCluster.cluster;
    const frontend = scopeCluster.frontend;
    if (frontend) {
      const targetGroup = frontend.targetGroup;
      // Recommended alarms, Network Load Balancer: HealthyHostCount (Minimum, 60 s) of the target
      // group. Below 1 means no pod of the frontend Service answers health checks: the app is down.
      // Missing data (the target group reports no health, e.g. before the first target was ever
      // registered) is not breaching; once the app ran, an empty target group reports 0 and alarms.
      this.alarm({
        part: 'frontend',
        id: 'HealthyHosts',
        metric: targetGroup.metrics.healthyHostCount({ statistic: cloudwatch.Stats.MINIMUM, period: Duration.minutes(1) }),
        threshold: 1,
        comparison: LT,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: NOT_BREACHING,
        description: `No healthy frontend target for 3 minutes: the app is down. First check: kubectl get pods,endpoints -n ${frontend.namespace} `
          + `(the Service ${frontend.serviceName} needs ready pods) and kubectl describe targetgroupbinding ${frontend.serviceName} -n ${frontend.namespace}. `
          + `Source: ${RECOMMENDED_ALARMS} (Network Load Balancer).`,
      });
      // TCP resets sent by the load balancer itself (TCP_ELB_Reset_Count, Sum): targets that do not
      // answer or connections that time out. Not on the recommended list (its NLB section has no reset
      // alarm); metric from https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html.
      // No traffic, no data: not breaching.
      this.alarm({
        part: 'frontend',
        id: 'LoadBalancerResets',
        metric: frontend.loadBalancer.metrics.tcpElbResetCount({ period: Duration.minutes(5) }),
        threshold: t.frontendResetsPer5Minutes,
        comparison: GT,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: NOT_BREACHING,
        description: `The frontend load balancer reset more than ${t.frontendResetsPer5Minutes} connections per 5 minutes for 10 minutes: targets stop `
          + 'answering or connections time out. First check: the HealthyHosts alarm and the pods\' restarts (kubectl get pods -n '
          + `${frontend.namespace}); compare TCP_Target_Reset_Count on the dashboard (resets sent by the app itself).`,
      });
      this.widgets('frontend').push(new cloudwatch.GraphWidget({
        title: 'TCP resets (load balancer / targets)',
        left: [
          frontend.loadBalancer.metrics.tcpElbResetCount({ period: Duration.minutes(5) }),
          frontend.loadBalancer.metrics.tcpTargetResetCount({ period: Duration.minutes(5) }),
        ],
        width: 8,
      }));
    }

    // EKS vends control plane metrics to AWS/EKS for free on Kubernetes 1.28 and later
    // (https://docs.aws.amazon.com/eks/latest/userguide/cloudwatch.html). Not on the recommended
    // list: 5xx answers of the API server break kubectl, controllers and the deployment's own
    // manifests. An idle API server still serves the controllers, so data flows; gaps are not breaching.
    this.alarm({
      part: 'cluster',
      id: 'ApiServer5xx',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/EKS',
        metricName: 'apiserver_request_total_5XX',
        dimensionsMap: { ClusterName: cluster.clusterName },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: t.apiServer5xxPer5Minutes,
      comparison: GT,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: NOT_BREACHING,
      description: `The Kubernetes API server answered more than ${t.apiServer5xxPer5Minutes} requests per 5 minutes with 5xx for 10 minutes. `
        + 'First check: the AWS Health dashboard for EKS, then the API server log (CloudWatch Logs /aws/eks/<cluster>/cluster, kube-apiserver-*) '
        + 'for the failing requests; admission webhooks that time out (kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations) are a common cause.',
    });

    if (containerInsights) {
      this.addContainerInsights(scopeCluster);
      const ci = (metricName: string) => new cloudwatch.Metric({
        namespace: 'ContainerInsights',
        metricName,
        dimensionsMap: { ClusterName: cluster.clusterName },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      });
      // Recommended alarms, Amazon EKS with Container Insights. These metrics exist only while the
      // add-on runs; without data (add-on not ready yet) the alarms stay OK.
      this.alarm({
        part: 'cluster',
        id: 'FailedNodes',
        metric: ci('cluster_failed_node_count'),
        threshold: 1,
        comparison: GE,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: NOT_BREACHING,
        description: 'At least one node has failed (not Ready, or under memory/disk/PID pressure) for 3 minutes. First check: kubectl get nodes '
          + `and kubectl describe node <name> (Conditions, Events); the managed node group replaces unhealthy instances. Source: ${RECOMMENDED_ALARMS} (Container Insights).`,
      });
      for (const [id, metricName, what] of [['NodeCpu', 'node_cpu_utilization', 'CPU'], ['NodeMemory', 'node_memory_utilization', 'memory']] as const) {
        this.alarm({
          part: 'cluster',
          id,
          metric: ci(metricName),
          threshold: t.nodeUtilizationPercent,
          comparison: GT,
          evaluationPeriods: 5,
          datapointsToAlarm: 5,
          treatMissingData: NOT_BREACHING,
          description: `A node used more than ${t.nodeUtilizationPercent}% of its ${what} for 5 minutes. First check: kubectl top nodes and `
            + 'kubectl top pods -A --sort-by=' + (what === 'CPU' ? 'cpu' : 'memory') + '; raise nodeCount or the instance type, or set resource '
            + `limits on the pod that grew. Source: ${RECOMMENDED_ALARMS} (Container Insights).`,
        });
      }
    }
  }

  private addContainerInsights(scopeCluster: ScopeCluster): void {
    const cluster = scopeCluster.cluster;
    // The add-on's agent and Fluent Bit authenticate through EKS Pod Identity (the add-on's own
    // podIdentityAssociations, so no separate association resource); they need CloudWatchAgentServerPolicy.
    const role = new iam.Role(this, 'ContainerInsightsRole', {
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
      description: `CloudWatch agent and Fluent Bit of the ${this.envName} Scope cluster (Container Insights, EKS Pod Identity)`,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy')],
    });
    acknowledgeManagedPolicies(role);
    // The agent creates these log groups with no expiry when they are missing: create them first with a retention.
    const logGroups = ['performance', 'application'].map(kind => new logs.LogGroup(this, `ContainerInsights${kind[0].toUpperCase()}${kind.slice(1)}Logs`, {
      logGroupName: `/aws/containerinsights/${cluster.clusterName}/${kind}`,
      // The profile's log retention (a year in PRODUCTION, as CT.CLOUDWATCH.PR.2 asks) and the
      // environment key, whose policy admits CloudWatch Logs (ScopeEnvironment's encryptionKey).
      retention: this.logRetention,
      encryptionKey: this.logKey,
      removalPolicy: RemovalPolicy.DESTROY,
    }));
    const addon = new eksv1.CfnAddon(this, 'ContainerInsights', {
      addonName: OBSERVABILITY_ADDON,
      clusterName: cluster.clusterName,
      resolveConflicts: 'OVERWRITE',
      podIdentityAssociations: [{ serviceAccount: OBSERVABILITY_SERVICE_ACCOUNT, roleArn: role.roleArn }],
    });
    // DaemonSets need nodes, Pod Identity needs its agent.
    addon.node.addDependency(scopeCluster.nodegroup, ...logGroups);
    if (cluster.eksPodIdentityAgent) addon.node.addDependency(cluster.eksPodIdentityAgent);
    (this as { containerInsightsAddon?: eksv1.CfnAddon }).containerInsightsAddon = addon;
    (this as { containerInsightsRole?: iam.IRole }).containerInsightsRole = role;
  }

  private watchDatabase(database: UsersDatabase): void {
    const { GREATER_THAN_THRESHOLD: GT, LESS_THAN_THRESHOLD: LT } = cloudwatch.ComparisonOperator;
    const NOT_BREACHING = cloudwatch.TreatMissingData.NOT_BREACHING;
    const t = this.thresholds;
    const instance = database.instance;
    const cfn = instance.node.defaultChild as rds.CfnDBInstance;
    const source = `Source: ${RECOMMENDED_ALARMS} (Amazon RDS).`;
    const rdsMetric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName,
      dimensionsMap: { DBInstanceIdentifier: instance.instanceIdentifier },
      statistic,
      period: Duration.minutes(1),
    });
    // RDS publishes these every minute while the instance runs: missing data means a stopped or
    // rebooting instance (RDS events report that), never "too high" or "too low".
    this.alarm({
      part: 'database',
      id: 'Cpu',
      metric: rdsMetric('CPUUtilization', cloudwatch.Stats.AVERAGE),
      threshold: t.databaseCpuPercent,
      comparison: GT,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: NOT_BREACHING,
      description: `The users database used more than ${t.databaseCpuPercent}% CPU for 5 minutes (burstable classes: also check CPUCreditBalance). `
        + `First check: Performance Insights or pg_stat_activity for the queries running; then a larger instanceType. ${source}`,
    });
    // aws-cdk-lib renders the class lazily: resolve it to read the literal.
    const instanceClass: unknown = cfn ? Stack.of(this).resolve(cfn.dbInstanceClass) : undefined;
    const memory = instanceMemoryBytes(typeof instanceClass === 'string' ? instanceClass : undefined);
    if (memory === undefined) {
      Annotations.of(this).addWarningV2('scope:monitoring-db-class',
        `Database instance class ${JSON.stringify(instanceClass)} has no known memory size: no FreeableMemory and DatabaseConnections alarms.`);
    } else {
      const freeMemory = Math.round(memory * t.databaseFreeMemoryShare);
      this.alarm({
        part: 'database',
        id: 'FreeableMemory',
        metric: rdsMetric('FreeableMemory', cloudwatch.Stats.AVERAGE),
        threshold: freeMemory,
        comparison: LT,
        evaluationPeriods: 15,
        datapointsToAlarm: 15,
        treatMissingData: NOT_BREACHING,
        description: `The users database had less than ${Math.round(t.databaseFreeMemoryShare * 100)}% of its memory free for 15 minutes `
          + `(${Math.round(freeMemory / 2 ** 20)} MiB): connections may be refused. First check: DatabaseConnections and long-running queries; then a larger instanceType. ${source}`,
      });
      const connections = Math.floor(estimatedMaxConnections(memory) * t.databaseConnectionsShare);
      this.alarm({
        part: 'database',
        id: 'Connections',
        metric: rdsMetric('DatabaseConnections', cloudwatch.Stats.AVERAGE),
        threshold: connections,
        comparison: GT,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: NOT_BREACHING,
        description: `More than ${connections} connections to the users database for 5 minutes (${Math.round(t.databaseConnectionsShare * 100)}% of the `
          + 'estimated default max_connections): new connections will soon be refused. First check: SELECT usename, application_name, count(*) FROM '
          + `pg_stat_activity GROUP BY 1, 2 (a service leaking connections, or too many replicas without a pool). ${source}`,
      });
    }
    const allocated = Number(cfn ? Stack.of(this).resolve(cfn.allocatedStorage) : undefined);
    if (cfn && Stack.of(this).resolve(cfn.maxAllocatedStorage) !== undefined) {
      // The recommended alarms page advises against this alarm with storage autoscaling.
    } else if (!Number.isFinite(allocated)) {
      Annotations.of(this).addWarningV2('scope:monitoring-db-storage', 'Database allocatedStorage is not a number known at synth time: no FreeStorageSpace alarm.');
    } else {
      const freeStorage = Math.round(allocated * 2 ** 30 * t.databaseFreeStorageShare);
      this.alarm({
        part: 'database',
        id: 'FreeStorage',
        metric: rdsMetric('FreeStorageSpace', cloudwatch.Stats.MINIMUM),
        threshold: freeStorage,
        comparison: LT,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: NOT_BREACHING,
        description: `The users database has less than ${Math.round(t.databaseFreeStorageShare * 100)}% of its ${allocated} GiB storage free: `
          + 'PostgreSQL stops accepting writes when it is full. First check: table and WAL sizes (SELECT pg_size_pretty(pg_database_size(\'users\'))); '
          + `raise database.allocatedStorage (an online change). ${source}`,
      });
    }
    for (const [id, metricName, what] of [['ReadLatency', 'ReadLatency', 'read'], ['WriteLatency', 'WriteLatency', 'write']] as const) {
      this.alarm({
        part: 'database',
        id,
        metric: rdsMetric(metricName, cloudwatch.Stats.p(90)),
        threshold: t.databaseLatencySeconds,
        comparison: GT,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: NOT_BREACHING,
        description: `p90 disk ${what} latency of the users database above ${t.databaseLatencySeconds * 1000} ms for 5 minutes: the workload exceeds `
          + `the storage's IOPS or throughput. First check: ${what === 'read' ? 'Read' : 'Write'}IOPS and DiskQueueDepth on the RDS console; then gp3 IOPS or a larger instance. ${source}`,
      });
    }
    // The bootstrap custom resource's function (UsersDatabase child 'BootstrapFunction'). It runs
    // only during deployments: no invocation, no data, not breaching.
    const bootstrap: lambda.IFunction | undefined = database.bootstrapFunction;
    if (bootstrap) {
      this.alarm({
        part: 'database',
        id: 'BootstrapErrors',
        metric: bootstrap.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1) }),
        threshold: 0,
        comparison: GT,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: NOT_BREACHING,
        description: 'The database bootstrap (creates the users database and its application role during deployments) failed. First check: its log '
          + `group (UsersDatabase BootstrapLogs) for the error, usually network reach to the instance or a secret. Source: ${RECOMMENDED_ALARMS} (AWS Lambda, Errors).`,
      });
    }
  }

  private watchReports(reports: ReportStore): void {
    const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    const NOT_BREACHING = cloudwatch.TreatMissingData.NOT_BREACHING;
    const t = this.thresholds;
    const table = reports.table;
    const source = `Source: ${RECOMMENDED_ALARMS} (Amazon DynamoDB).`;
    // Throttle events are only published when requests are throttled: no data is the healthy case.
    for (const [id, what] of [['ReadThrottles', 'Read'], ['WriteThrottles', 'Write']] as const) {
      this.alarm({
        part: 'reports',
        id,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/DynamoDB',
          metricName: `${what}ThrottleEvents`,
          dimensionsMap: { TableName: table.tableName },
          statistic: cloudwatch.Stats.SUM,
          period: Duration.minutes(1),
        }),
        threshold: t.tableThrottleEvents,
        comparison: GT,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: NOT_BREACHING,
        description: `${what} requests to the reports table were throttled for 5 minutes. First check: on-demand tables throttle on a hot partition `
          + `(one hour key taking all ${what.toLowerCase()}s) or a sudden jump past twice the previous peak; provisioned tables need more capacity. ${source}`,
      });
    }
    // SystemErrors exist only per TableName + Operation: the sum over the operations Scope calls.
    this.alarm({
      part: 'reports',
      id: 'SystemErrors',
      metric: table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: Duration.minutes(1) }),
      threshold: 0,
      comparison: GT,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: NOT_BREACHING,
      description: 'DynamoDB answered requests to the reports table with HTTP 500 in 3 of 5 minutes. This is on the AWS side: the SDK retries. '
        + `First check: the AWS Health dashboard for DynamoDB in this region; open a support case if it persists. ${source}`,
    });
  }

  private watchQueues(queues: ControlQueues): void {
    const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
    const NOT_BREACHING = cloudwatch.TreatMissingData.NOT_BREACHING;
    const t = this.thresholds;
    const source = `Source: ${RECOMMENDED_ALARMS} (Amazon SQS).`;
    // The control service creates its queues at run time, so no queue can be named here: a Metrics
    // Insights query covers every queue whose name starts with the prefix
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-alarms.html).
    // In LIKE, `_` matches any one character, so `dev_control_%` also matches e.g. `dev-control-x`:
    // harmless, no other environment's prefix starts like that. With no queue yet the query returns
    // no data: not breaching. Dead-letter queues (`<prefix>..._dlq`) are covered too: a message left
    // in one ages and raises the age alarm, as it should.
    const query = (fn: string, metricName: string) => new cloudwatch.MathExpression({
      expression: `SELECT ${fn}(${metricName}) FROM SCHEMA("AWS/SQS", QueueName) WHERE QueueName LIKE '${queues.queuePrefix}%'`,
      usingMetrics: {},
      label: `${metricName} (${queues.queuePrefix}*)`,
      period: Duration.minutes(1),
    });
    this.alarm({
      part: 'queues',
      id: 'OldestMessage',
      metric: query('MAX', 'ApproximateAgeOfOldestMessage'),
      threshold: t.queueOldestMessageSeconds,
      comparison: GT,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: NOT_BREACHING,
      description: `A control queue (${queues.queuePrefix}*) holds a message older than ${t.queueOldestMessageSeconds} s for 5 minutes: its consumer `
        + 'is down, too slow, or fails on that message (then it returns after each visibility timeout). First check: the control service pods '
        + `(kubectl get pods; kubectl logs) and which queue it is (CloudWatch Metrics, AWS/SQS, ApproximateAgeOfOldestMessage by QueueName). ${source}`,
    });
    this.alarm({
      part: 'queues',
      id: 'VisibleMessages',
      metric: query('MAX', 'ApproximateNumberOfMessagesVisible'),
      threshold: t.queueVisibleMessages,
      comparison: GT,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: NOT_BREACHING,
      description: `A control queue (${queues.queuePrefix}*) has more than ${t.queueVisibleMessages} messages waiting for 5 minutes: producers outpace `
        + `the control service. First check: the control service's replicas and errors; then scale it out. ${source}`,
    });
  }

  private widgets(part: Part): cloudwatch.IWidget[] {
    let list = this.extraWidgets.get(part);
    if (!list) this.extraWidgets.set(part, list = []);
    return list;
  }

  /** `<envName>-scope`: per part a title row, then its alarms (each with its threshold) and extra graphs. */
  private createDashboard(): cloudwatch.Dashboard {
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${this.envName}-scope`,
      defaultInterval: Duration.hours(3),
    });
    for (const part of PARTS) {
      const alarms = this.alarms.filter(a => this.alarmParts.get(a)?.part === part);
      if (alarms.length === 0) continue;
      dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${part}`, width: 24, height: 1 }));
      dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({ title: `${part} alarms`, alarms, width: 4, height: 6 }),
        ...alarms.map(alarm => new cloudwatch.AlarmWidget({ title: this.alarmParts.get(alarm)!.name, alarm, width: 8, height: 6 })),
        ...this.widgets(part),
      );
    }
    return dashboard;
  }
}
