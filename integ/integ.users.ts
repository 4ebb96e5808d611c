/**
 * ScopeServiceUsers, deployed for real: the writer's secret exists, and the control service's IAM
 * user, with its own access key read from its own secret, can create (and delete) a queue under
 * the control prefix but not outside it.
 *
 * Why a probe function: integ-tests-alpha's awsApiCall runs with the assertion provider's own role,
 * which it grants whatever the call needs on `*`, and it cannot use other credentials or assume a
 * role. So a createQueue through awsApiCall would prove nothing about the user's rights. Instead a
 * small inline Lambda, whose own role may only read the queue user's secret (no SQS rights at all),
 * calls SQS with the user's access key; the test invokes it and waits for the expected answer
 * (retrying while the new key and group policy propagate in IAM). It never logs the secret.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ControlQueues, ReportStore, ScopeServiceUsers } from '../src';

const app = new App();
const stack = new Stack(app, 'ScopeUsersInteg');
const envName = 'usersinteg';
const reports = new ReportStore(stack, 'Reports', { envName, removalPolicy: RemovalPolicy.DESTROY });
// allowDeleteQueue so the probe can remove its queue with the user's own key (nothing left behind).
const queues = new ControlQueues(stack, 'Queues', { envName, queuePrefix: 'scope_usersinteg_control_', allowDeleteQueue: true });
const users = new ScopeServiceUsers(stack, 'Users', { envName, reports, queues });

const probe = new lambda.Function(stack, 'QueueUserProbe', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  timeout: Duration.seconds(60),
  environment: { SECRET_ARN: users.queueReadWriter.secret!.secretArn },
  code: lambda.Code.fromInline(`
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { SQSClient, CreateQueueCommand, DeleteQueueCommand } = require('@aws-sdk/client-sqs');
exports.handler = async () => {
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ARN }));
  const creds = JSON.parse(out.SecretString);
  const sqs = new SQSClient({ region: creds.region, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey } });
  const suffix = Date.now().toString(36);
  const result = { createdUnderPrefix: false, deniedOutsidePrefix: false, deleted: false };
  try {
    const created = await sqs.send(new CreateQueueCommand({ QueueName: creds.queuePrefix + 'probe-' + suffix }));
    result.createdUnderPrefix = true;
    await sqs.send(new DeleteQueueCommand({ QueueUrl: created.QueueUrl }));
    result.deleted = true;
  } catch (e) {
    result.error = e.name;
  }
  try {
    await sqs.send(new CreateQueueCommand({ QueueName: 'scope_usersinteg_outside_' + suffix }));
  } catch (e) {
    result.deniedOutsidePrefix = /AccessDenied/.test(e.name);
  }
  return result;
};
`),
});
users.queueReadWriter.secret!.grantRead(probe);

const integ = new IntegTest(app, 'UsersTest', { testCases: [stack], regions: ['us-east-1'] });

const describe = integ.assertions.awsApiCall('SecretsManager', 'describeSecret', { SecretId: users.reportWriter.secret!.secretArn });
describe.expect(ExpectedResult.objectLike({ ARN: users.reportWriter.secret!.secretArn }));

integ.assertions
  .invokeFunction({ functionName: probe.functionName })
  .expect(ExpectedResult.objectLike({ Payload: '{"createdUnderPrefix":true,"deniedOutsidePrefix":true,"deleted":true}' }))
  .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) });
