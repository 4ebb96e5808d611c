/**
 * Issue 24: alarms that reach a person. The topic policy lets this account's CloudWatch alarms
 * publish (and keeps the TLS Deny), every Metrics Insights query has the documented shape, and
 * every alarm's runbook names a first check that exists in its environment.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EnvironmentProfile, ScopeEnvironment, ScopeEnvironmentProps } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function synth(id: string, props: ScopeEnvironmentProps) {
  const stack = new Stack(new App(), `scope-${id}`, { env: ENV });
  const environment = new ScopeEnvironment(stack, id, props);
  return { id, environment, json: Template.fromStack(stack).toJSON() };
}

const profiles = [
  synth('dev', {}),
  synth('prod', { profile: EnvironmentProfile.PRODUCTION }),
  // Pre-created queues are covered by the same account-wide queries (no per-name query needed).
  synth('qs', { queues: { queues: ['events'] } }),
];

const ofType = (json: any, type: string) => Object.entries<any>(json.Resources).filter(([, r]) => r.Type === type);

describe.each(profiles.map(p => [p.id, p] as const))('%s: the alarm topic policy', (_id, { environment, json }) => {
  const topicId = Object.keys(json.Resources).find(id => json.Resources[id].Type === 'AWS::SNS::Topic' && id.includes('Monitoring'))!;
  const [[, policy]] = ofType(json, 'AWS::SNS::TopicPolicy').filter(([, r]) => JSON.stringify(r.Properties.Topics).includes(topicId));
  const statements: any[] = policy.Properties.PolicyDocument.Statement;

  test('allows sns:Publish to cloudwatch.amazonaws.com for alarms of this account and region only', () => {
    const allow = statements.filter(s => s.Effect === 'Allow');
    expect(allow).toEqual([{
      Sid: 'AllowCloudWatchAlarmsToPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topicId },
      Condition: {
        ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:${ENV.region}:${ENV.account}:alarm:*`]] } },
        StringEquals: { 'aws:SourceAccount': ENV.account },
      },
    }]);
  });

  test('keeps the TLS Deny for every principal and action', () => {
    expect(statements).toContainEqual(expect.objectContaining({
      Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
  });

  test('every alarm notifies that topic', () => {
    for (const alarm of environment.monitoring!.alarms) {
      expect(JSON.stringify(json.Resources[Stack.of(alarm).resolve((alarm.node.defaultChild as any).logicalId)].Properties.AlarmActions))
        .toBe(JSON.stringify([{ Ref: topicId }]));
    }
  });
});

describe('Metrics Insights queries', () => {
  /**
   * The documented shape (cloudwatch-metrics-insights-querylanguage.html): SELECT FUNCTION(metric)
   * FROM namespace|SCHEMA(...) [WHERE key =|!= 'value' [AND ...]] [GROUP BY key[, ...]]
   * [ORDER BY FUNCTION() [ASC|DESC]] [LIMIT n]. The full parser lives in test/evaluators.
   */
  const FN = '(AVG|COUNT|MAX|MIN|SUM)';
  const ID = '("[^"]+"|[A-Za-z_][A-Za-z0-9_]*)';
  const SHAPE = new RegExp(`^SELECT ${FN}\\(${ID}\\) FROM (${ID}|SCHEMA\\(${ID}(, ${ID})*\\))`
    + `( WHERE ${ID} (=|!=) '[^']*'( AND ${ID} (=|!=) '[^']*')*)?`
    + `( GROUP BY ${ID}(, ${ID})*)?( ORDER BY ${FN}\\(\\)( ASC| DESC)?)?( LIMIT ([1-9][0-9]{0,2}))?$`);

  function queries(json: any): string[] {
    const found: string[] = [];
    for (const [, alarm] of ofType(json, 'AWS::CloudWatch::Alarm')) {
      for (const m of alarm.Properties.Metrics ?? []) if (/^\s*SELECT/i.test(m.Expression ?? '')) found.push(m.Expression);
    }
    for (const [, dashboard] of ofType(json, 'AWS::CloudWatch::Dashboard')) {
      // The body is a string or an Fn::Join of strings and references (values, never query text).
      const raw = dashboard.Properties.DashboardBody;
      const text = typeof raw === 'string' ? raw : raw['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : 'REF')).join('');
      const walk = (node: any): void => {
        if (Array.isArray(node)) {node.forEach(walk);} else if (node && typeof node === 'object') {
          if (typeof node.expression === 'string' && /^\s*SELECT/i.test(node.expression)) found.push(node.expression);
          Object.values(node).forEach(walk);
        }
      };
      walk(JSON.parse(text));
    }
    return found;
  }

  test.each(profiles.map(p => [p.id, p] as const))('%s: every query of alarms and widgets has the documented shape, none uses LIKE', (_id, { json }) => {
    const all = queries(json);
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const q of all) {
      expect(q).not.toMatch(/\bLIKE\b/i);
      expect([q, SHAPE.test(q)]).toEqual([q, true]);
    }
  });

  test('the shape check rejects the old prefix query and other operators outside the grammar', () => {
    for (const bad of [
      'SELECT MAX(ApproximateAgeOfOldestMessage) FROM SCHEMA("AWS/SQS", QueueName) WHERE QueueName LIKE \'prod_control_%\'',
      'SELECT MAX(ApproximateAgeOfOldestMessage) FROM SCHEMA("AWS/SQS", QueueName) WHERE QueueName IN (\'a\', \'b\')',
      'SELECT MAX(ApproximateAgeOfOldestMessage) FROM SCHEMA("AWS/SQS", QueueName) WHERE QueueName = \'a\' OR QueueName = \'b\'',
      'SELECT P90(ApproximateAgeOfOldestMessage) FROM "AWS/SQS"',
    ]) expect([bad, SHAPE.test(bad)]).toEqual([bad, false]);
    expect(SHAPE.test('SELECT MAX(ApproximateAgeOfOldestMessage) FROM SCHEMA("AWS/SQS", QueueName) WHERE QueueName = \'a\' AND QueueName != \'b\'')).toBe(true);
  });

  test('alarm queries return one aggregated series (no GROUP BY); the per-queue breakdown is on the dashboard', () => {
    const { json } = profiles[1];
    const alarmQueries = ofType(json, 'AWS::CloudWatch::Alarm').flatMap(([, a]) => (a.Properties.Metrics ?? []).map((m: any) => m.Expression ?? ''))
      .filter((e: string) => e.startsWith('SELECT'));
    expect(alarmQueries.sort()).toEqual([
      'SELECT MAX(ApproximateAgeOfOldestMessage) FROM SCHEMA("AWS/SQS", QueueName)',
      'SELECT MAX(ApproximateNumberOfMessagesVisible) FROM SCHEMA("AWS/SQS", QueueName)',
    ]);
    expect(queries(json).filter(q => q.includes('GROUP BY QueueName ORDER BY MAX() DESC LIMIT 10'))).toHaveLength(2);
  });
});

describe('runbooks: every alarm\'s first check exists in its environment', () => {
  /** Each kind of first check an alarm may name, and whether `json` has what it needs. */
  const CHECKS: Array<[RegExp, string, (json: any, envId: string, check: string) => boolean]> = [
    [/\bkubectl\b/, 'a KubeconfigCommand output', json => Object.keys(json.Outputs ?? {}).some(k => /KubeconfigCommand$/.test(k))],
    [/Database Insights/, 'an instance with Database Insights', json => ofType(json, 'AWS::RDS::DBInstance')
      .some(([, r]) => r.Properties.DatabaseInsightsMode === 'standard' && r.Properties.EnablePerformanceInsights === true)],
    [/Container Insights/, 'the amazon-cloudwatch-observability add-on', json => ofType(json, 'AWS::EKS::Addon')
      .some(([, r]) => r.Properties.AddonName === 'amazon-cloudwatch-observability')],
    [/(\S+)-scope dashboard/, 'that dashboard', (json, _env, check) => ofType(json, 'AWS::CloudWatch::Dashboard')
      .some(([, r]) => r.Properties.DashboardName === /(\S+-scope) dashboard/.exec(check)![1])],
    [/pg_stat_activity|SELECT |RDS console/, 'an RDS instance', json => ofType(json, 'AWS::RDS::DBInstance').length === 1],
    [/DynamoDB console|AWS Health dashboard for DynamoDB/, 'a table', json => ofType(json, 'AWS::DynamoDB::Table').length > 0],
    [/AWS Health dashboard for EKS|\/aws\/eks\//, 'a cluster with API server logs', json => ofType(json, 'AWS::EKS::Cluster')
      .some(([, r]) => JSON.stringify(r.Properties.Logging ?? {}).includes('api'))],
    [/BootstrapLogs/, 'the bootstrap log group', json => Object.keys(json.Resources).some(k => /BootstrapLogs/.test(k))],
    [/HealthyHosts alarm/, 'the HealthyHosts alarm', (json, env) => ofType(json, 'AWS::CloudWatch::Alarm')
      .some(([, r]) => r.Properties.AlarmName === `${env}-scope-frontend-healthy-hosts`)],
  ];

  test.each(profiles.map(p => [p.id, p] as const))('%s', (envId, { json }) => {
    const alarms = ofType(json, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(10);
    for (const [, alarm] of alarms) {
      const { AlarmName: name, AlarmDescription: description } = alarm.Properties;
      const check = /First check: (.*?)(?:; then|\. Source:|$)/.exec(description)?.[1];
      expect([name, check === undefined ? 'no "First check:"' : 'ok']).toEqual([name, 'ok']);
      const named = CHECKS.filter(([pattern]) => pattern.test(check!));
      expect([name, check, named.length > 0]).toEqual([name, check, true]);
      for (const [, what, present] of named) expect([name, what, present(json, envId, check!)]).toEqual([name, what, true]);
    }
  });

  test('the database CPU alarm points to Database Insights where it is on (PRODUCTION) and to pg_stat_activity where not', () => {
    const cpu = (json: any) => ofType(json, 'AWS::CloudWatch::Alarm').find(([, r]) => /database-cpu$/.test(r.Properties.AlarmName))![1].Properties.AlarmDescription;
    expect(cpu(profiles[1].json)).toMatch(/First check: Database Insights/);
    expect(cpu(profiles[0].json)).toMatch(/First check: pg_stat_activity/);
    expect(cpu(profiles[0].json)).not.toMatch(/Insights/);
  });
});
