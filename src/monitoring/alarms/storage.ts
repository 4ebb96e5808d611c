/** Alarms of the report store's DynamoDB table. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { AlarmThresholds } from '../../profile';
import { ReportStore } from '../../storage';
import { AlarmSpec, RECOMMENDED_ALARMS } from '../alarm-spec';

/** DynamoDB operations the Scope services call on the reports table (writer: PutItem; reader: Query, GetItem, BatchGetItem). */
const TABLE_OPERATIONS = [dynamodb.Operation.PUT_ITEM, dynamodb.Operation.QUERY, dynamodb.Operation.GET_ITEM, dynamodb.Operation.BATCH_GET_ITEM];

/** ReadThrottles, WriteThrottles and SystemErrors of the reports table. */
export function reportsAlarms(reports: ReportStore, t: AlarmThresholds): AlarmSpec[] {
  const table = reports.table;
  const source = `Source: ${RECOMMENDED_ALARMS} (Amazon DynamoDB).`;
  // Throttle events are only published when requests are throttled: no data is the healthy case.
  const throttles = (what: 'Read' | 'Write'): AlarmSpec => ({
    part: 'reports',
    id: `${what}Throttles`,
    metric: new cloudwatch.Metric({
      namespace: 'AWS/DynamoDB',
      metricName: `${what}ThrottleEvents`,
      dimensionsMap: { TableName: table.tableName },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(1),
    }),
    threshold: t.tableThrottleEvents,
    description: `${what} requests to the reports table were throttled for 5 minutes. First check: the table's Monitor tab on the DynamoDB console `
      + `(Consumed${what}CapacityUnits and throttled requests); on-demand tables throttle on a hot partition (one hour key taking all `
      + `${what.toLowerCase()}s) or a sudden jump past twice the previous peak; provisioned tables need more capacity. ${source}`,
  });
  return [
    throttles('Read'),
    throttles('Write'),
    // SystemErrors exist only per TableName + Operation: the sum over the operations Scope calls.
    {
      part: 'reports',
      id: 'SystemErrors',
      metric: table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: Duration.minutes(1) }),
      threshold: 0,
      datapointsToAlarm: 3,
      description: 'DynamoDB answered requests to the reports table with HTTP 500 in 3 of 5 minutes. This is on the AWS side: the SDK retries. '
        + `First check: the AWS Health dashboard for DynamoDB in this region; open a support case if it persists. ${source}`,
    },
  ];
}
