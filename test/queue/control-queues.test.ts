import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CONTROL_QUEUE_ACTIONS, ControlQueues, ControlQueuesProps } from '../../src';

function build(props: ControlQueuesProps = {}) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const queues = new ControlQueues(stack, 'Queues', { envName: 'prod', ...props });
  return { stack, queues };
}

/** The resolved ARN pattern for a prefix in the test account and region. */
const pattern = (prefix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:sqs:eu-west-1:111111111111:${prefix}*`]] });

function grantedStatements(props: ControlQueuesProps = {}) {
  const { stack, queues } = build(props);
  queues.grantReadWrite(new iam.Role(stack, 'Control', { assumedBy: new iam.AccountRootPrincipal() }));
  const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

test('the prefix defaults to <envName>_control_ and the pattern covers only it', () => {
  const { stack, queues } = build();
  expect(queues.queuePrefix).toBe('prod_control_');
  expect(stack.resolve(queues.queueArnPattern)).toEqual(pattern('prod_control_'));
});

test('nothing is created when no queues are asked for (the control service creates them)', () => {
  const { stack } = build();
  Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 0);
});

test('grantReadWrite is exactly the control action set on the prefix pattern, no DeleteQueue', () => {
  expect(grantedStatements()).toEqual([
    { Effect: 'Allow', Action: CONTROL_QUEUE_ACTIONS, Resource: pattern('prod_control_') },
  ]);
  expect(CONTROL_QUEUE_ACTIONS).not.toContain('sqs:DeleteQueue');
  expect(CONTROL_QUEUE_ACTIONS.every(a => a.startsWith('sqs:') && !a.includes('*'))).toBe(true);
});

test('allowDeleteQueue adds sqs:DeleteQueue and nothing else', () => {
  const [statement] = grantedStatements({ allowDeleteQueue: true });
  expect(statement.Action).toEqual([...CONTROL_QUEUE_ACTIONS, 'sqs:DeleteQueue']);
  expect(statement.Resource).toEqual(pattern('prod_control_'));
});

test('pre-created queues: under the prefix, SSE, dead-letter queue, TLS-only policy', () => {
  const { stack, queues } = build({ queues: ['events'], maxReceiveCount: 3 });
  const template = Template.fromStack(stack);
  expect(queues.queues).toHaveLength(1);
  template.resourceCountIs('AWS::SQS::Queue', 2);
  template.hasResourceProperties('AWS::SQS::Queue', {
    QueueName: 'prod_control_events',
    SqsManagedSseEnabled: true,
    RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Dlq'), 'Arn'] }, maxReceiveCount: 3 },
  });
  template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'prod_control_events_dlq', SqsManagedSseEnabled: true });
  template.resourcePropertiesCountIs('AWS::SQS::QueuePolicy', {
    PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
  }, 2);
});

test('a custom prefix is kept as given', () => {
  const { stack, queues } = build({ queuePrefix: 'legacy-ctl-' });
  expect(stack.resolve(queues.queueArnPattern)).toEqual(pattern('legacy-ctl-'));
});

describe('bad input', () => {
  test.each<[string, ControlQueuesProps, RegExp]>([
    ['prefix with a dot', { queuePrefix: 'prod.control' }, /Invalid queuePrefix 'prod.control'/],
    ['empty prefix', { queuePrefix: '' }, /Invalid queuePrefix ''/],
    ['prefix too long', { queuePrefix: 'p'.repeat(71) }, /Invalid queuePrefix .*1 to 70 characters/],
    ['queue name with a slash', { queues: ['a/b'] }, /Invalid queues\[0\] 'a\/b'/],
    ['queue name too long with its prefix', { queues: ['q'.repeat(70)] }, /Invalid queues\[0\].*longer than the 80 characters/],
    ['max receive count 0', { queues: ['events'], maxReceiveCount: 0 }, /Invalid maxReceiveCount 0/],
    ['env name with an underscore', { envName: 'prod_1' }, /Invalid envName 'prod_1'/],
  ])('%s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

test('with encryptionKey, pre-created queues use it and the control service may use it for them (data keys, decrypt)', () => {
  const keyed = (() => {
    const s = new Stack(new App(), 'Keyed', { env: { account: '111111111111', region: 'eu-west-1' } });
    const key = new kms.Key(s, 'Key');
    const q = new ControlQueues(s, 'Queues', { envName: 'prod', queues: ['events'], encryptionKey: key });
    q.grantReadWrite(new iam.Role(s, 'Control', { assumedBy: new iam.AccountRootPrincipal() }));
    return Template.fromStack(s);
  })();
  const queuesOf = keyed.findResources('AWS::SQS::Queue');
  expect(Object.keys(queuesOf)).toHaveLength(2);
  for (const q of Object.values<any>(queuesOf)) {
    expect(q.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
    expect(q.Properties.SqsManagedSseEnabled).toBeUndefined();
  }
  const statements = Object.values<any>(keyed.findResources('AWS::IAM::Policy')).flatMap(p => p.Properties.PolicyDocument.Statement);
  expect(statements).toContainEqual({ Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] } });
  // Without pre-created queues the key is not used, and no KMS right is granted.
  const s2 = new Stack(new App(), 'NoQueues');
  const q2 = new ControlQueues(s2, 'Queues', { envName: 'prod', encryptionKey: new kms.Key(s2, 'Key') });
  q2.grantReadWrite(new iam.Role(s2, 'Control', { assumedBy: new iam.AccountRootPrincipal() }));
  expect(JSON.stringify(Template.fromStack(s2).findResources('AWS::IAM::Policy'))).not.toContain('kms:');
});
