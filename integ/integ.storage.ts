/**
 * ReportStore + ControlQueues, deployed for real: put a report item and read it back, send a
 * message to a control queue under the prefix and receive it.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ControlQueues, ReportStore } from '../src';

const app = new App();
const stack = new Stack(app, 'ScopeStorageInteg');
const reports = new ReportStore(stack, 'Reports', { envName: 'integ', removalPolicy: RemovalPolicy.DESTROY, reportExpiration: Duration.days(1) });
const queues = new ControlQueues(stack, 'Queues', { envName: 'integ', queuePrefix: 'scope_integ_control_', queues: ['probe'] });

const integ = new IntegTest(app, 'StorageTest', { testCases: [stack], regions: ['us-east-1'] });

const item = { hour: { S: '2026-11-25T14' }, ts: { N: '1764079200' }, body: { S: 'report-1' } };
const put = integ.assertions.awsApiCall('DynamoDB', 'putItem', { TableName: reports.table.tableName, Item: item });
const get = integ.assertions.awsApiCall('DynamoDB', 'getItem', {
  TableName: reports.table.tableName,
  Key: { hour: item.hour, ts: item.ts },
  ConsistentRead: true,
});
get.expect(ExpectedResult.objectLike({ Item: item }));
put.next(get);

const queueUrl = queues.queues[0].queueUrl;
const send = integ.assertions.awsApiCall('SQS', 'sendMessage', { QueueUrl: queueUrl, MessageBody: 'control-probe' });
const receive = integ.assertions.awsApiCall('SQS', 'receiveMessage', { QueueUrl: queueUrl, WaitTimeSeconds: 10 });
receive.expect(ExpectedResult.objectLike({ Messages: [{ Body: 'control-probe' }] }));
send.next(receive);
