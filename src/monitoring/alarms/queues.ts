/** Alarms and graphs of the control queues: every SQS queue of the account and region. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmThresholds } from '../../profile';
import { ControlQueues } from '../../queue';
import { AlarmSpec, RECOMMENDED_ALARMS } from '../alarm-spec';

/**
 * The Metrics Insights grammar, from "Query components and syntax in CloudWatch Metrics Insights"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html):
 * SELECT FUNCTION(metricName) FROM namespace | SCHEMA(...) [WHERE labelKey OPERATOR labelValue
 * [AND ...]] [GROUP BY labelKey [, ...]] [ORDER BY FUNCTION() [DESC | ASC]] [LIMIT number], and
 * "The WHERE clause supports the following operators: =, !=, AND". There is no LIKE, so no query
 * can select the queues whose names start with the prefix: CloudWatch would reject such an
 * alarm in PutMetricAlarm and fail the deploy.
 *
 * The control service creates its queues at run time, so their names are not known here either.
 * What the grammar allows and covers them all: one aggregate over every queue of the account and
 * region, `SELECT MAX(metric) FROM SCHEMA("AWS/SQS", QueueName)` (no GROUP BY: "a single
 * aggregated time series", the "aggregate monitoring" query structure of
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html).
 * An account holds one environment in the documented layout (one account per stack), so that
 * is this environment's queues, pre-created (ControlQueues `queues`, with their dead-letter
 * queues) or not. In an account shared by environments each environment's queue alarms see the
 * others' queues too (README "Monitoring"); the dashboard's per-queue graph names the queue.
 */
export function accountQueuesQuery(fn: string, metricName: string): string {
  return `SELECT ${fn}(${metricName}) FROM SCHEMA("AWS/SQS", QueueName)`;
}

/** The per-queue breakdown for the dashboard: the 10 queues with the highest value, one line each. */
export function queuesByNameQuery(metricName: string): string {
  return `${accountQueuesQuery('MAX', metricName)} GROUP BY QueueName ORDER BY MAX() DESC LIMIT 10`;
}

/** OldestMessage and VisibleMessages, each the maximum over the account's queues. */
export function queueAlarms(envName: string, queues: ControlQueues, t: AlarmThresholds): AlarmSpec[] {
  const source = `Source: ${RECOMMENDED_ALARMS} (Amazon SQS).`;
  // With no queue yet the query returns no data: not breaching.
  const query = (metricName: string) => new cloudwatch.MathExpression({
    expression: accountQueuesQuery('MAX', metricName),
    usingMetrics: {},
    label: `${metricName} (max over the account's queues)`,
    period: Duration.minutes(1),
  });
  const which = `open the ${envName}-scope dashboard, queues row, for which queue it is`;
  return [
    {
      part: 'queues',
      id: 'OldestMessage',
      metric: query('ApproximateAgeOfOldestMessage'),
      threshold: t.queueOldestMessageSeconds,
      description: `A queue of this account (the control queues ${queues.queuePrefix}*) holds a message older than ${t.queueOldestMessageSeconds} s `
        + 'for 5 minutes: its consumer is down, too slow, or fails on that message (then it returns after each visibility timeout). '
        + `First check: ${which} (oldest message by queue); then the control service pods (kubectl get pods; kubectl logs). ${source}`,
    },
    {
      part: 'queues',
      id: 'VisibleMessages',
      metric: query('ApproximateNumberOfMessagesVisible'),
      threshold: t.queueVisibleMessages,
      description: `A queue of this account (the control queues ${queues.queuePrefix}*) has more than ${t.queueVisibleMessages} messages waiting `
        + `for 5 minutes: producers outpace the control service. First check: ${which} (visible messages by queue); then the control `
        + `service's replicas and errors, and scale it out. ${source}`,
    },
  ];
}

/** Dashboard graphs of the queues row: each alarm's metric broken down by queue. */
export function queueWidgets(): cloudwatch.IWidget[] {
  return ([['ApproximateAgeOfOldestMessage', 'oldest message by queue (s)'], ['ApproximateNumberOfMessagesVisible', 'visible messages by queue']] as const)
    .map(([metricName, title]) => new cloudwatch.GraphWidget({
      title,
      left: [new cloudwatch.MathExpression({ expression: queuesByNameQuery(metricName), usingMetrics: {}, period: Duration.minutes(1) })],
      width: 8,
    }));
}
