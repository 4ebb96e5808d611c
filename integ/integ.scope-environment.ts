/**
 * A whole DEVELOPMENT ScopeEnvironment, deployed for real with the helloWorld smoke test:
 * - the frontend answers 200 through its DNS name (`frontend.<zone>`),
 * - the report writer's own access key can PutItem into the table (and PutObject into the bucket),
 * - the control service's own access key can create (and delete) a queue under the prefix,
 * - the database bootstrap wrote a `postgres://...@host:5432/users?sslmode=require` URL,
 * - monitoring: the dashboard `envinteg-scope` exists and the alarm topic is KMS-encrypted.
 *
 * Why a probe function: integ-tests-alpha's awsApiCall runs with its own role (granted what the
 * call needs on `*`) and cannot use another principal's keys, so it would prove nothing about the
 * users' rights. The probe's own role may only read the three secrets; everything else it does
 * with the keys it reads. It returns booleans, never a secret.
 * The zone is not delegated in a sandbox account, so the probe resolves `frontend.<zone>` at the
 * zone's own name servers, then fetches `/` from the address they return with that Host header.
 *
 * Expect about 35 minutes and a few US dollars; `cdk destroy` leaves nothing behind (DEVELOPMENT).
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EnvironmentProfile, ScopeEnvironment } from '../src';

const app = new App();
const stack = new Stack(app, 'ScopeEnvironmentInteg');
const environment = new ScopeEnvironment(stack, 'envinteg', {
  profile: EnvironmentProfile.DEVELOPMENT,
  cluster: { helloWorld: true },
  // allowDeleteQueue so the probe removes its queue with the user's own key (nothing left behind).
  queues: { allowDeleteQueue: true },
  domain: { zoneName: 'scope-env-integ.example.com' },
});
const { users, database, dns, monitoring } = environment;

const probe = new lambda.Function(stack, 'Probe', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  timeout: Duration.seconds(60),
  environment: {
    WRITER_SECRET: users.reportWriter.secret!.secretArn,
    QUEUE_SECRET: users.queueReadWriter.secret!.secretArn,
    DATABASE_SECRET: database.appSecret.secretArn,
    FRONTEND_NAME: dns!.frontendName,
    NAME_SERVERS: Fn.join(',', dns!.nameServers!),
  },
  code: lambda.Code.fromInline(`
const dns = require('dns').promises;
const http = require('http');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const { SQSClient, CreateQueueCommand, DeleteQueueCommand } = require('@aws-sdk/client-sqs');
const secret = async (id) => JSON.parse((await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: id }))).SecretString);
const keys = (s) => ({ region: s.region, credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } });
const checks = {
  async frontend() {
    const servers = (await Promise.all(process.env.NAME_SERVERS.split(',').map(n => dns.resolve4(n).catch(() => [])))).flat();
    const resolver = new dns.Resolver();
    resolver.setServers(servers);
    const [ip] = await resolver.resolve4(process.env.FRONTEND_NAME);
    return new Promise((ok, ko) => http.get({ host: ip, path: '/', headers: { Host: process.env.FRONTEND_NAME }, timeout: 10000 },
      res => { res.resume(); ok(res.statusCode === 200); }).on('error', ko));
  },
  async writer() {
    const s = await secret(process.env.WRITER_SECRET);
    await new DynamoDBClient(keys(s)).send(new PutItemCommand({ TableName: s.table, Item: { hour: { S: 'integ' }, ts: { N: String(Date.now()) } } }));
    await new S3Client(keys(s)).send(new PutObjectCommand({ Bucket: s.bucket, Key: 'integ/probe', Body: 'report' }));
    return true;
  },
  async queue() {
    const s = await secret(process.env.QUEUE_SECRET);
    const sqs = new SQSClient(keys(s));
    const created = await sqs.send(new CreateQueueCommand({ QueueName: s.queuePrefix + 'probe_' + Date.now().toString(36) }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: created.QueueUrl }));
    return true;
  },
  async database() {
    const s = await secret(process.env.DATABASE_SECRET);
    return /^postgres:\\/\\/scope_users:[^@]+@[^/]+:5432\\/users\\?sslmode=require$/.test(s.url);
  },
};
exports.handler = async (event) => {
  try {
    return { ok: await checks[event.check]() };
  } catch (e) {
    return { ok: false, error: e.name };
  }
};
`),
});
for (const s of [users.reportWriter.secret!, users.queueReadWriter.secret!, database.appSecret]) s.grantRead(probe);

const integ = new IntegTest(app, 'ScopeEnvironmentTest', { testCases: [stack], regions: ['us-east-1'] });

// New access keys and group policies take a little while to propagate in IAM; the frontend target
// turns healthy a minute or two after the deploy.
for (const check of ['frontend', 'writer', 'queue', 'database']) {
  integ.assertions
    .invokeFunction({ functionName: probe.functionName, payload: JSON.stringify({ check }) })
    .expect(ExpectedResult.objectLike({ Payload: '{"ok":true}' }))
    .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });
}

// Monitoring: the dashboard and the encrypted alarm topic exist after the deploy.
integ.assertions
  .awsApiCall('CloudWatch', 'getDashboard', { DashboardName: 'envinteg-scope' })
  .expect(ExpectedResult.objectLike({ DashboardName: 'envinteg-scope' }));
integ.assertions
  .awsApiCall('SNS', 'getTopicAttributes', { TopicArn: monitoring!.alarmTopic.topicArn })
  .expect(ExpectedResult.objectLike({ Attributes: { TopicArn: monitoring!.alarmTopic.topicArn, KmsMasterKeyId: monitoring!.topicKey.keyArn } }));
