/**
 * Alarm delivery, evaluated: CloudWatch publishes an alarm of this account to the alarm topic only
 * if the topic policy allows `cloudwatch.amazonaws.com` (a topic policy replaces SNS's default
 * policy; AWS knowledge center "cloudwatch-receive-sns-for-alarm-trigger"), and to an encrypted
 * topic only if the key policy lets CloudWatch use the key (SNS developer guide, "Configure KMS
 * permissions for AWS services": kms:Decrypt and kms:GenerateDataKey* for the publishing service).
 * Over both example environments.
 */
import { ANONYMOUS, IamEvaluator } from './iam';
import { exampleProfiles, Profile } from './profiles';

/** The topic every alarm notifies, and the key that encrypts it. */
function alarmTopic(profile: Profile): { topic: string; key: string } {
  const ev = profile.evaluator;
  const actions = ev.logicalIds('AWS::CloudWatch::Alarm').flatMap(id => ev.resolver.resolve(profile.template.Resources[id].Properties.AlarmActions ?? []));
  const topics = [...new Set<string>(actions.filter((a: string) => a.includes(':sns:')))];
  expect(topics).toHaveLength(1);
  const topicId = ev.logicalIds('AWS::SNS::Topic').find(id => ev.resolver.ref(id) === topics[0])!;
  const key = ev.resolver.resolve(profile.template.Resources[topicId].Properties.KmsMasterKeyId);
  expect(key).toMatch(/^arn:aws:kms:/); // a customer managed key: the AWS managed aws/sns key cannot admit CloudWatch
  return { topic: topics[0], key };
}

const cases = exampleProfiles().map(p => [p.name, p] as const);

/** The request context of an alarm of `account` notifying over TLS. */
function alarmContext(profile: Profile, account = profile.env.account, secure = 'true') {
  return {
    'aws:SourceArn': `arn:aws:cloudwatch:${profile.env.region}:${account}:alarm:scope-${profile.name}-cpu`,
    'aws:SourceAccount': account,
    'aws:SecureTransport': secure,
  };
}

// The release before issue 24 failed this: its topic policy held only the TLS Deny, so nothing
// allowed cloudwatch.amazonaws.com to publish and every alarm notification was dropped.
test.each(cases)('%s: CloudWatch may publish an alarm of this account to the alarm topic over TLS', async (_name, profile) => {
  const { topic } = alarmTopic(profile);
  const answer = await profile.evaluator.ask({ principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: topic, context: alarmContext(profile) });
  expect({ decision: answer.decision, topicPolicy: answer.simulation.resourcePolicy }).toEqual(expect.objectContaining({ decision: 'Allowed' }));
});

test.each(cases)('%s: CloudWatch may use the topic key for this account\'s alarms', async (_name, profile) => {
  const { key } = alarmTopic(profile);
  for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
    expect([action, await profile.evaluator.decide({ principal: 'cloudwatch.amazonaws.com', action, resource: key, context: alarmContext(profile) })])
      .toEqual([action, 'Allowed']);
  }
});

test.each(cases)('%s: another account\'s alarm may not publish to the alarm topic', async (_name, profile) => {
  const { topic } = alarmTopic(profile);
  const decision = await profile.evaluator.decide({ principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: topic, context: alarmContext(profile, '999999999999') });
  expect(decision).not.toBe('Allowed');
});

test.each(cases)('%s: an anonymous caller may not publish to the alarm topic', async (_name, profile) => {
  const { topic } = alarmTopic(profile);
  expect(await profile.evaluator.decide({ principal: ANONYMOUS, action: 'sns:Publish', resource: topic })).not.toBe('Allowed');
  expect(await profile.evaluator.decide({ principal: ANONYMOUS, action: 'sns:Publish', resource: topic, context: alarmContext(profile) })).not.toBe('Allowed');
});

test.each(cases)('%s: a plain-HTTP publish is denied explicitly, even for this account\'s alarm', async (_name, profile) => {
  const { topic } = alarmTopic(profile);
  expect(await profile.evaluator.decide({ principal: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: topic, context: alarmContext(profile, profile.env.account, 'false') }))
    .toBe('ExplicitlyDenied');
});

test.each(cases)('%s: another account\'s administrator may not publish to the alarm topic', async (_name, profile) => {
  const { topic } = alarmTopic(profile);
  const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  expect(await profile.evaluator.decide({ principal: 'arn:aws:iam::999999999999:role/admin', action: 'sns:Publish', resource: topic, identityPolicies: [admin] }))
    .not.toBe('Allowed');
});

// The cases above can turn green: with the statement issue 24 asks for added to the current topic
// policy, the same evaluator allows this account's alarm over TLS and still denies every other case.
test.each(cases)('%s: with the issue-24 statement added, the evaluator allows exactly this account\'s alarms over TLS', async (_name, profile) => {
  const { topic } = alarmTopic(profile);
  const template = JSON.parse(JSON.stringify(profile.template));
  const policyId = Object.keys(template.Resources).find(id => template.Resources[id].Type === 'AWS::SNS::TopicPolicy')!;
  template.Resources[policyId].Properties.PolicyDocument.Statement.push({
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: 'sns:Publish',
    Resource: topic,
    Condition: {
      ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${profile.env.region}:${profile.env.account}:alarm:*` },
      StringEquals: { 'aws:SourceAccount': profile.env.account },
    },
  });
  const ev = new IamEvaluator(template, profile.evaluator.resolver);
  const publish = (principal: string, context: Record<string, string>) => ev.decide({ principal, action: 'sns:Publish', resource: topic, context });
  expect(await publish('cloudwatch.amazonaws.com', alarmContext(profile))).toBe('Allowed');
  expect(await publish('cloudwatch.amazonaws.com', alarmContext(profile, '999999999999'))).toBe('ImplicitlyDenied');
  expect(await publish('cloudwatch.amazonaws.com', alarmContext(profile, profile.env.account, 'false'))).toBe('ExplicitlyDenied');
  expect(await publish(ANONYMOUS, alarmContext(profile))).not.toBe('Allowed');
});
