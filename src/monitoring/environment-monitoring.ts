import { Stack, aws_eks as eksv1 } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmSpec, createAlarm, CreatedAlarm, notifyTopic } from './alarm-spec';
import { createAlarmTopic } from './alarm-topic';
import { ScopeCluster } from '../cluster';
import { UsersDatabase } from '../database';
import { apiServerAlarms, nodeAlarms } from './alarms/cluster';
import { databaseAlarms } from './alarms/database';
import { frontendAlarms, frontendWidgets } from './alarms/frontend';
import { queueAlarms, queueWidgets } from './alarms/queues';
import { reportsAlarms } from './alarms/storage';
import { addContainerInsights } from './container-insights';
import { createDashboard } from './dashboard';
import { validateAlarmEmails, defaultEnvName, PropError, validateEnvName } from '../private/validate';
import { EnvironmentProfile, profileDefaults } from '../profile';
import { ControlQueues } from '../queue';
import { ReportStore } from '../storage';

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
   * The control queue namespace to watch. Metrics Insights cannot select queues by name prefix,
   * so the queue alarms watch every SQS queue of the account and region (README "Monitoring").
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

  /** Every alarm with its part and name, for the dashboard. */
  private readonly created: CreatedAlarm[] = [];

  constructor(scope: Construct, id: string, props: EnvironmentMonitoringProps = {}) {
    super(scope, id);
    validateEnvName(props.envName);
    this.envName = props.envName ?? defaultEnvName(Stack.of(this).stackName);
    const defaults = profileDefaults(props.profile ?? EnvironmentProfile.DEVELOPMENT);
    validateAlarmEmails('alarmEmails', props.alarmEmails);
    const containerInsights = props.containerInsights ?? defaults.containerInsights;
    if (containerInsights && !props.cluster) {
      throw new PropError('Invalid containerInsights true: Container Insights runs on a cluster; pass cluster (a ScopeCluster) or set containerInsights to false.');
    }

    const { topic, key } = createAlarmTopic(this, this.envName, props.encryptionKey, props.alarmEmails);
    this.alarmTopic = topic;
    this.topicKey = key;

    // One step per part, in this order: it is the order of the alarms in the template and on the dashboard.
    const t = defaults.alarms;
    const cluster = props.cluster;
    const frontend = cluster?.frontend;
    if (frontend) this.watch(frontendAlarms(frontend, t));
    if (cluster) this.watch(apiServerAlarms(cluster.eksCluster, t));
    if (cluster && containerInsights) {
      const insights = addContainerInsights(this, cluster, {
        envName: this.envName, logRetention: defaults.logRetention, logKey: props.encryptionKey,
      });
      this.containerInsightsAddon = insights.addon;
      this.containerInsightsRole = insights.role;
      this.watch(nodeAlarms(cluster.eksCluster, t));
    }
    if (props.database) this.watch(databaseAlarms(this, props.database, t));
    if (props.reports) this.watch(reportsAlarms(props.reports, t));
    if (props.queues) this.watch(queueAlarms(this.envName, props.queues, t));

    if (props.alarmActions ?? true) notifyTopic(this.alarms, topic);
    this.dashboard = createDashboard(this, this.envName, this.created, {
      frontend: frontend ? frontendWidgets(frontend) : [],
      queues: props.queues ? queueWidgets() : [],
    });
  }

  /** Creates the alarms of `specs` in this construct, in order. */
  private watch(specs: AlarmSpec[]): void {
    for (const spec of specs) {
      const created = createAlarm(this, this.envName, spec);
      this.created.push(created);
      this.alarms.push(created.alarm);
    }
  }
}
