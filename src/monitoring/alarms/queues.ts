/** Alarms of the control queues: every queue under the ControlQueues prefix. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { AlarmThresholds } from '../../profile';
import { ControlQueues } from '../../queue';
import { AlarmSpec, RECOMMENDED_ALARMS } from '../alarm-spec';

/** OldestMessage and VisibleMessages, each the maximum over the control queues. */
export function queueAlarms(queues: ControlQueues, t: AlarmThresholds): AlarmSpec[] {
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
  return [
    {
      part: 'queues',
      id: 'OldestMessage',
      metric: query('MAX', 'ApproximateAgeOfOldestMessage'),
      threshold: t.queueOldestMessageSeconds,
      description: `A control queue (${queues.queuePrefix}*) holds a message older than ${t.queueOldestMessageSeconds} s for 5 minutes: its consumer `
        + 'is down, too slow, or fails on that message (then it returns after each visibility timeout). First check: the control service pods '
        + `(kubectl get pods; kubectl logs) and which queue it is (CloudWatch Metrics, AWS/SQS, ApproximateAgeOfOldestMessage by QueueName). ${source}`,
    },
    {
      part: 'queues',
      id: 'VisibleMessages',
      metric: query('MAX', 'ApproximateNumberOfMessagesVisible'),
      threshold: t.queueVisibleMessages,
      description: `A control queue (${queues.queuePrefix}*) has more than ${t.queueVisibleMessages} messages waiting for 5 minutes: producers outpace `
        + `the control service. First check: the control service's replicas and errors; then scale it out. ${source}`,
    },
  ];
}
