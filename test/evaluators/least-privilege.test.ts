/**
 * Least privilege, evaluated: over both example environments, each identity's allowed actions on
 * its own resources are allowed, and the near misses (another table, bucket or queue prefix,
 * delete actions, KMS through a service other than its own, another role's rights) are denied,
 * as IAM would decide from the synthesized identity, bucket and key policies (test/evaluators/iam.ts).
 *
 * Identities: the three service users (rights only through their groups), their Pod Identity
 * roles (prod), the database bootstrap function, the load balancer controller, the CloudWatch
 * agent (Container Insights, prod) and the DNS validation-record cleanup function (a development
 * environment with a certificate: the only setup that has it).
 */
import { App, Stack } from 'aws-cdk-lib';
import { IamEvaluator } from './iam';
import { exampleProfiles } from './profiles';
import { ScopeEnvironment } from '../../src';
import { DEV_ENV, DEV_PROPS } from '../safety/environments';

type Expect = 'allowed' | 'denied';

/** One row of the matrix. `failing` names the fix a known hole needs (the case runs as test.failing). */
interface Case {
  readonly name: string;
  readonly ev: IamEvaluator;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string>;
  readonly expect: Expect;
  readonly failing?: string;
}

const profiles = exampleProfiles();

/** The one resource of `type` whose logical ID contains `part`. */
function only(ev: IamEvaluator, type: string, part: string): string {
  const ids = ev.logicalIds(type).filter(id => id.includes(part));
  if (ids.length !== 1) throw new Error(`Expected one ${type} with ${part} in its logical ID, found ${ids.join(', ') || 'none'}`);
  return ids[0];
}

function row(
  ev: IamEvaluator, who: string, principal: string, expectation: Expect, action: string, resource: string,
  context?: Record<string, string>, failing?: string,
): Case {
  const ctx = context ? ` ${JSON.stringify(context)}` : '';
  return { name: `${who}: ${action} on ${resource}${ctx}`, ev, principal, action, resource, context, expect: expectation, failing };
}

/** The store's and queue's ARNs in one environment, and some that are not theirs. */
function targets(ev: IamEvaluator, env: string) {
  const arn = (service: string, resource: string) => ev.resolver.arn(service, resource);
  const other = env === 'dev' ? 'prod' : 'dev';
  return {
    table: ev.arnOf(only(ev, 'AWS::DynamoDB::Table', 'ReportsTable')),
    otherTable: arn('dynamodb', 'table/other_reports'),
    bucket: ev.arnOf(only(ev, 'AWS::S3::Bucket', 'ReportsBucket')),
    otherBucket: 'arn:aws:s3:::someone-elses-bucket',
    queue: arn('sqs', `${env}_control_orders`),
    otherPrefixQueue: arn('sqs', `${other}_control_orders`),
    unprefixedQueue: arn('sqs', 'orders'),
  };
}

const via = (service: string, region: string) => ({ 'kms:ViaService': `${service}.${region}.amazonaws.com` });

/** The report writer: dynamodb:PutItem on the table and s3:PutObject on the bucket's objects, nothing else. */
function writerCases(ev: IamEvaluator, env: string, who: string, principal: string, key?: string): Case[] {
  const t = targets(ev, env);
  const region = ev.resolver.region;
  const cases = [
    row(ev, who, principal, 'allowed', 'dynamodb:PutItem', t.table),
    row(ev, who, principal, 'allowed', 's3:PutObject', `${t.bucket}/reports/1.json`),
    row(ev, who, principal, 'denied', 'dynamodb:PutItem', t.otherTable),
    row(ev, who, principal, 'denied', 'dynamodb:GetItem', t.table),
    row(ev, who, principal, 'denied', 'dynamodb:DeleteItem', t.table),
    row(ev, who, principal, 'denied', 'dynamodb:DeleteTable', t.table),
    row(ev, who, principal, 'denied', 's3:GetObject', `${t.bucket}/reports/1.json`),
    row(ev, who, principal, 'denied', 's3:DeleteObject', `${t.bucket}/reports/1.json`),
    row(ev, who, principal, 'denied', 's3:DeleteBucket', t.bucket),
    row(ev, who, principal, 'denied', 's3:PutObject', `${t.otherBucket}/x`),
    row(ev, who, principal, 'denied', 's3:PutObject', `${t.bucket}/reports/1.json`, { 'aws:SecureTransport': 'false' }),
  ];
  if (key) {
    cases.push(
      row(ev, who, principal, 'allowed', 'kms:GenerateDataKey', key, via('s3', region)),
      row(ev, who, principal, 'allowed', 'kms:Decrypt', key, via('dynamodb', region)),
      row(ev, who, principal, 'denied', 'kms:Decrypt', key, via('sqs', region)),
      row(ev, who, principal, 'denied', 'kms:Decrypt', key),
    );
  }
  return cases;
}

/** The report reader: Query/GetItem/BatchGetItem on the table and s3:GetObject on the bucket's objects. */
function readerCases(ev: IamEvaluator, env: string, who: string, principal: string, key?: string): Case[] {
  const t = targets(ev, env);
  const region = ev.resolver.region;
  const cases = [
    ...['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'].map(a => row(ev, who, principal, 'allowed', a, t.table)),
    row(ev, who, principal, 'allowed', 's3:GetObject', `${t.bucket}/reports/1.json`),
    row(ev, who, principal, 'denied', 'dynamodb:Query', t.otherTable),
    row(ev, who, principal, 'denied', 'dynamodb:PutItem', t.table),
    row(ev, who, principal, 'denied', 'dynamodb:Scan', t.table),
    row(ev, who, principal, 'denied', 'dynamodb:DeleteTable', t.table),
    row(ev, who, principal, 'denied', 's3:PutObject', `${t.bucket}/reports/1.json`),
    row(ev, who, principal, 'denied', 's3:DeleteBucket', t.bucket),
    row(ev, who, principal, 'denied', 's3:GetObject', `${t.otherBucket}/x`),
  ];
  if (key) {
    cases.push(
      row(ev, who, principal, 'allowed', 'kms:Decrypt', key, via('s3', region)),
      row(ev, who, principal, 'allowed', 'kms:Decrypt', key, via('dynamodb', region)),
      row(ev, who, principal, 'denied', 'kms:Decrypt', key, via('secretsmanager', region)),
      row(ev, who, principal, 'denied', 'kms:Decrypt', key),
      row(ev, who, principal, 'denied', 'kms:GenerateDataKey', key, via('s3', region)),
    );
  }
  return cases;
}

/** The queue read-writer: the control queue actions on `<env>_control_*` only; it cannot change who may use a queue. */
function queueCases(ev: IamEvaluator, env: string, who: string, principal: string): Case[] {
  const t = targets(ev, env);
  return [
    ...['sqs:CreateQueue', 'sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'].map(a => row(ev, who, principal, 'allowed', a, t.queue)),
    row(ev, who, principal, 'denied', 'sqs:SendMessage', t.otherPrefixQueue),
    row(ev, who, principal, 'denied', 'sqs:ReceiveMessage', t.unprefixedQueue),
    row(ev, who, principal, 'denied', 'sqs:DeleteQueue', t.queue),
    row(ev, who, principal, 'denied', 'sqs:PurgeQueue', t.queue),
    row(ev, who, principal, 'denied', 'sqs:AddPermission', t.queue),
    row(ev, who, principal, 'denied', 'sqs:RemovePermission', t.queue),
    row(ev, who, principal, 'denied', 'dynamodb:PutItem', t.table),
  ];
}

/**
 * The database bootstrap function: reads the master secret (the one RDS manages for a HARDENED
 * database, the generated one for ORIGINAL) and the app secret, writes the app secret only.
 */
function bootstrapCases(ev: IamEvaluator, env: string, template: any, key?: string): Case[] {
  const who = `${env} bootstrap function`;
  const role = only(ev, 'AWS::IAM::Role', 'DatabaseBootstrapFunctionServiceRole');
  const master = ev.resolver.resolve(template.Resources[only(ev, 'Custom::UsersDatabaseBootstrap', 'DatabaseBootstrap')].Properties.MasterSecretArn);
  const app = ev.resolver.ref(only(ev, 'AWS::SecretsManager::Secret', 'DatabaseAppSecret'));
  const region = ev.resolver.region;
  const cases = [
    row(ev, who, role, 'allowed', 'secretsmanager:GetSecretValue', master),
    row(ev, who, role, 'allowed', 'secretsmanager:GetSecretValue', app),
    row(ev, who, role, 'allowed', 'secretsmanager:PutSecretValue', app),
    row(ev, who, role, 'denied', 'secretsmanager:PutSecretValue', master),
    row(ev, who, role, 'denied', 'secretsmanager:DeleteSecret', app),
    row(ev, who, role, 'denied', 'secretsmanager:GetSecretValue', ev.resolver.arn('secretsmanager', 'secret:another-AbCdEf')),
    row(ev, who, role, 'denied', 'secretsmanager:GetSecretValue', ev.resolver.arn('secretsmanager', 'secret:rds!db-another-instance-AbCdEf')),
    row(ev, who, role, 'denied', 'rds:DeleteDBInstance', ev.resolver.arn('rds', `db:${env}-users`)),
  ];
  if (key) {
    cases.push(
      row(ev, who, role, 'allowed', 'kms:Decrypt', key, via('secretsmanager', region)),
      row(ev, who, role, 'denied', 'kms:Decrypt', key, via('s3', region)),
      row(ev, who, role, 'denied', 'kms:Decrypt', key),
      // Data keys only through Secrets Manager (PutSecretValue), as kms:Decrypt.
      row(ev, who, role, 'allowed', 'kms:GenerateDataKey', key, via('secretsmanager', region)),
      row(ev, who, role, 'denied', 'kms:GenerateDataKey', key),
    );
  }
  return cases;
}

/** The AWS Load Balancer Controller: registers targets in the frontend target group, opens the cluster security group. */
function controllerCases(ev: IamEvaluator, env: string, template: any): Case[] {
  const who = `${env} load balancer controller`;
  const role = only(ev, 'AWS::IAM::Role', 'FrontendControllerIdentityRole');
  const policy = template.Resources[only(ev, 'AWS::IAM::Policy', 'FrontendControllerIdentityRoleDefaultPolicy')].Properties.PolicyDocument;
  const targetGroup = ev.resolver.resolve(policy.Statement.find((s: any) => [s.Action].flat().includes('elasticloadbalancing:RegisterTargets')).Resource);
  const clusterSg = ev.resolver.resolve(policy.Statement.find((s: any) => [s.Action].flat().includes('ec2:AuthorizeSecurityGroupIngress')).Resource);
  const otherTargetGroup = ev.resolver.arn('elasticloadbalancing', 'targetgroup/other/0123456789abcdef');
  return [
    row(ev, who, role, 'allowed', 'elasticloadbalancing:RegisterTargets', targetGroup),
    row(ev, who, role, 'allowed', 'elasticloadbalancing:DeregisterTargets', targetGroup),
    row(ev, who, role, 'allowed', 'elasticloadbalancing:DescribeTargetHealth', '*'),
    row(ev, who, role, 'allowed', 'ec2:AuthorizeSecurityGroupIngress', clusterSg),
    row(ev, who, role, 'denied', 'elasticloadbalancing:RegisterTargets', otherTargetGroup),
    row(ev, who, role, 'denied', 'ec2:AuthorizeSecurityGroupIngress', ev.resolver.arn('ec2', 'security-group/sg-0123456789abcdef0')),
    row(ev, who, role, 'denied', 'elasticloadbalancing:DeleteLoadBalancer', ev.resolver.arn('elasticloadbalancing', 'loadbalancer/app/frontend/0123456789abcdef')),
    row(ev, who, role, 'denied', 'ec2:TerminateInstances', ev.resolver.arn('ec2', 'instance/i-0123456789abcdef0')),
  ];
}

/** The CloudWatch agent and Fluent Bit (AWS managed CloudWatchAgentServerPolicy). */
function agentCases(ev: IamEvaluator, env: string): Case[] {
  const who = `${env} CloudWatch agent`;
  const role = only(ev, 'AWS::IAM::Role', 'ContainerInsightsRole');
  const logGroup = ev.resolver.arn('logs', `log-group:/aws/containerinsights/${env}/performance`);
  return [
    row(ev, who, role, 'allowed', 'cloudwatch:PutMetricData', '*'),
    row(ev, who, role, 'allowed', 'logs:PutLogEvents', `${logGroup}:log-stream:node-1`),
    row(ev, who, role, 'allowed', 'logs:CreateLogGroup', logGroup),
    row(ev, who, role, 'denied', 'logs:DeleteLogGroup', logGroup),
    row(ev, who, role, 'denied', 'cloudwatch:DeleteAlarms', ev.resolver.arn('cloudwatch', 'alarm:x')),
    row(ev, who, role, 'denied', 'ssm:GetParameter', ev.resolver.arn('ssm', 'parameter/scope/secret')),
    row(ev, who, role, 'denied', 'dynamodb:GetItem', targets(ev, env).table),
  ];
}

/** The ACM validation-record cleanup: only the records of its own zone. */
function cleanupCases(): Case[] {
  const app = new App();
  const stack = new Stack(app, 'scope-devcert', { env: DEV_ENV });
  new ScopeEnvironment(stack, 'dev', { ...DEV_PROPS, domain: { ...DEV_PROPS.domain!, certificate: true } });
  const template = app.synth().getStackByName(stack.stackName).template;
  const ev = new IamEvaluator(template, { ...DEV_ENV, stackName: stack.stackName });
  const who = 'dev (certificate) validation cleanup';
  const role = only(ev, 'AWS::IAM::Role', 'ScopeAcmValidationCleanup');
  const zone = `arn:aws:route53:::hostedzone/${ev.resolver.ref(only(ev, 'AWS::Route53::HostedZone', 'DnsZone'))}`;
  const otherZone = 'arn:aws:route53:::hostedzone/Z0123456789OTHER';
  return [
    row(ev, who, role, 'allowed', 'route53:ListResourceRecordSets', zone),
    row(ev, who, role, 'allowed', 'route53:ChangeResourceRecordSets', zone),
    row(ev, who, role, 'denied', 'route53:ChangeResourceRecordSets', otherZone),
    row(ev, who, role, 'denied', 'route53:DeleteHostedZone', zone),
    row(ev, who, role, 'denied', 'acm:DeleteCertificate', ev.resolver.arn('acm', 'certificate/0123')),
  ];
}

function allCases(): Case[] {
  const cases: Case[] = [];
  for (const { name: env, evaluator: ev, template } of profiles) {
    const storeKey = ev.resolver.resolve(template.Resources[only(ev, 'AWS::DynamoDB::Table', 'ReportsTable')].Properties.SSESpecification?.KMSMasterKeyId);
    const key = typeof storeKey === 'string' ? storeKey : undefined;
    cases.push(...writerCases(ev, env, `${env} report writer user`, only(ev, 'AWS::IAM::User', 'ReportWriterUser'), key));
    cases.push(...readerCases(ev, env, `${env} report reader user`, only(ev, 'AWS::IAM::User', 'ReportReaderUser'), key));
    cases.push(...queueCases(ev, env, `${env} queue user`, only(ev, 'AWS::IAM::User', 'QueueReadWriterUser')));
    const pods = ev.logicalIds('AWS::IAM::Role').filter(id => id.includes('ServiceAccountsscope'));
    if (pods.length) {
      cases.push(...writerCases(ev, env, `${env} collection pod role`, only(ev, 'AWS::IAM::Role', 'scopecollectionRole'), key));
      cases.push(...readerCases(ev, env, `${env} query pod role`, only(ev, 'AWS::IAM::Role', 'scopequeryRole'), key));
      cases.push(...queueCases(ev, env, `${env} control pod role`, only(ev, 'AWS::IAM::Role', 'scopecontrolRole')));
    }
    const dbKey = ev.logicalIds('AWS::KMS::Key').find(id => id.includes('EncryptionKey'));
    cases.push(...bootstrapCases(ev, env, template, dbKey ? ev.arnOf(dbKey) : undefined));
    cases.push(...controllerCases(ev, env, template));
    if (ev.logicalIds('AWS::IAM::Role').some(id => id.includes('ContainerInsightsRole'))) cases.push(...agentCases(ev, env));
  }
  cases.push(...cleanupCases());
  return cases;
}

const CASES = allCases();

test('the matrix holds at least 60 cases over both profiles, allowed and denied, for every identity', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(60);
  for (const env of ['dev', 'prod']) {
    expect(CASES.filter(c => c.name.startsWith(`${env} `) && c.expect === 'allowed').length).toBeGreaterThan(10);
    expect(CASES.filter(c => c.name.startsWith(`${env} `) && c.expect === 'denied').length).toBeGreaterThan(10);
  }
  for (const who of ['report writer user', 'collection pod role', 'control pod role', 'bootstrap function', 'load balancer controller', 'CloudWatch agent', 'validation cleanup']) {
    expect(CASES.some(c => c.name.includes(who))).toBe(true);
  }
});

async function check(c: Case): Promise<void> {
  const answer = await c.ev.ask({ principal: c.principal, action: c.action, resource: c.resource, context: c.context });
  const decided: Expect = answer.decision === 'Allowed' ? 'allowed' : 'denied';
  expect({ case: c.name, decided, decision: answer.decision }).toEqual({ case: c.name, decided: c.expect, decision: expect.anything() });
}

const passing = CASES.filter(c => !c.failing);
const failing = CASES.filter(c => c.failing);

test.each(passing.map(c => [c.name, c] as const))('%s', async (_name, c) => check(c));

// Known holes outside src/iam: each case names the fix it needs (c.failing); flip to test.each when it lands.
if (failing.length) {
  test.failing.each(failing.map(c => [`${c.name} (needs: ${c.failing})`, c] as const))('%s', async (_name, c) => check(c));
}
