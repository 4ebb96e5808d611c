/**
 * The harness itself: it resolves intrinsics to real ARNs, and it can say both yes and no
 * (identity allow, implicit deny, explicit deny, resource policy for a service, key policy trust).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ANONYMOUS, IamEvaluator } from './iam';

const ENV = { account: '123456789012', region: 'eu-central-1' };
const ALARM = 'arn:aws:cloudwatch:eu-central-1:123456789012:alarm:cpu';

function fixture() {
  const stack = new Stack(new App(), 'fixture', { env: ENV });
  const bucket = new s3.Bucket(stack, 'Bucket', { bucketName: 'fixture-bucket', enforceSSL: true });
  const group = new iam.Group(stack, 'Group');
  const user = new iam.User(stack, 'User', { userName: 'fixture-user', groups: [group] });
  const loner = new iam.User(stack, 'Loner', { userName: 'loner' });
  bucket.grantRead(group);
  const role = new iam.Role(stack, 'Role', {
    roleName: 'fixture-role',
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSQSReadOnlyAccess')],
  });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
  role.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:DeleteBucket'], resources: [bucket.bucketArn] }));
  const topic = new sns.Topic(stack, 'Topic', { topicName: 'fixture-topic' });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${ENV.region}:${ENV.account}:alarm:*` } },
  }));
  const trusted = new kms.Key(stack, 'TrustedKey');
  trusted.grantDecrypt(role);
  // A key whose policy does not trust the account: an identity policy alone cannot use it.
  const untrusted = new kms.Key(stack, 'UntrustedKey', {
    policy: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(`arn:aws:iam::${ENV.account}:role/admin`)], actions: ['kms:*'], resources: ['*'] })] }),
  });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [untrusted.keyArn] }));
  const template = Template.fromStack(stack).toJSON();
  const id = (c: any) => stack.getLogicalId(c.node.defaultChild);
  const ids = { user: id(user), loner: id(loner), role: id(role), topic: id(topic), trusted: id(trusted), untrusted: id(untrusted) };
  return { ev: new IamEvaluator(template, ENV), ids };
}

const { ev, ids } = fixture();
const BUCKET = 'arn:aws:s3:::fixture-bucket';

describe('intrinsics', () => {
  test('ARNs and names come out as concrete strings', () => {
    expect(ev.arnOf(ids.user)).toBe('arn:aws:iam::123456789012:user/fixture-user');
    expect(ev.arnOf(ids.role)).toBe('arn:aws:iam::123456789012:role/fixture-role');
    expect(ev.resolver.ref(ids.topic)).toBe('arn:aws:sns:eu-central-1:123456789012:fixture-topic');
    expect(ev.arnOf(ids.trusted)).toMatch(/^arn:aws:kms:eu-central-1:123456789012:key\/[0-9a-f-]{36}$/);
    expect(ev.resolver.resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::x']] })).toBe('arn:aws:s3:::x');
    expect(ev.resolver.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q-${!Literal}' }))
      .toBe('arn:aws:sqs:eu-central-1:123456789012:q-${Literal}');
    expect(JSON.stringify(ev.simulation({ principal: ids.user, action: 's3:GetObject', resource: `${BUCKET}/k` }))).not.toMatch(/"(Ref|Fn::[A-Za-z]+)"/);
  });

  test('an unknown logical ID is an error, not a silent string', () => {
    expect(() => ev.resolver.resolve({ Ref: 'Nope' })).toThrow(/No resource or parameter Nope/);
  });
});

describe('decisions', () => {
  test('a user gets the rights of its group: allowed, and only those', async () => {
    expect(await ev.decide({ principal: ids.user, action: 's3:GetObject', resource: `${BUCKET}/k` })).toBe('Allowed');
    expect(await ev.decide({ principal: ids.user, action: 's3:PutObject', resource: `${BUCKET}/k` })).toBe('ImplicitlyDenied');
    expect(await ev.decide({ principal: ids.loner, action: 's3:GetObject', resource: `${BUCKET}/k` })).toBe('ImplicitlyDenied');
  });

  test('the bucket policy TLS Deny wins over an identity allow', async () => {
    expect(await ev.decide({ principal: ids.user, action: 's3:GetObject', resource: `${BUCKET}/k`, context: { 'aws:SecureTransport': 'false' } }))
      .toBe('ExplicitlyDenied');
  });

  test('a role: inline allow, explicit deny, AWS managed policy', async () => {
    expect(await ev.decide({ principal: ids.role, action: 's3:PutObject', resource: `${BUCKET}/k` })).toBe('Allowed');
    expect(await ev.decide({ principal: ids.role, action: 's3:DeleteBucket', resource: BUCKET })).toBe('ExplicitlyDenied');
    const queue = 'arn:aws:sqs:eu-central-1:123456789012:any';
    expect(await ev.decide({ principal: ids.role, action: 'sqs:GetQueueAttributes', resource: queue })).toBe('Allowed');
    expect(await ev.decide({ principal: ids.role, action: 'sqs:SendMessage', resource: queue })).toBe('ImplicitlyDenied');
  });

  test('a service principal needs the resource policy, with its conditions', async () => {
    const topic = ev.resolver.ref(ids.topic);
    expect(await ev.decide({ principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: topic, context: { 'aws:SourceArn': ALARM } }))
      .toBe('Allowed');
    expect(await ev.decide({ principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: topic, context: { 'aws:SourceArn': ALARM.replace('123456789012', '999999999999') } }))
      .toBe('ImplicitlyDenied');
    expect(await ev.decide({ principal: 'events.amazonaws.com', action: 'sns:Publish', resource: topic, context: { 'aws:SourceArn': ALARM } }))
      .toBe('ImplicitlyDenied');
    expect(await ev.decide({ principal: ANONYMOUS, action: 'sns:Publish', resource: topic })).toBe('ImplicitlyDenied');
  });

  test('another account needs the resource policy too', async () => {
    const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    expect(await ev.decide({ principal: 'arn:aws:iam::999999999999:role/admin', action: 's3:GetObject', resource: `${BUCKET}/k`, identityPolicies: [admin] }))
      .toBe('ImplicitlyDenied');
  });

  test('a KMS key counts identity policies only where its key policy trusts the account', async () => {
    expect(await ev.decide({ principal: ids.role, action: 'kms:Decrypt', resource: ev.arnOf(ids.trusted) })).toBe('Allowed');
    expect(await ev.decide({ principal: ids.role, action: 'kms:Decrypt', resource: ev.arnOf(ids.untrusted) })).toBe('ImplicitlyDenied');
  });

  test('the simulator rejects an action that does not exist (no silent answer)', async () => {
    await expect(ev.decide({ principal: ids.role, action: 's3:NoSuchAction', resource: BUCKET })).rejects.toThrow(/iam-simulate rejected/);
  });
});
