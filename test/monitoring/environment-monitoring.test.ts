import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import {
  ControlQueues, EnvironmentMonitoring, EnvironmentProfile, ReportStore, ScopeEnvironment, ScopeEnvironmentProps,
} from '../../src';
import { estimatedMaxConnections, instanceMemoryBytes } from '../../src/monitoring/rds-sizing';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const GiB = 2 ** 30;

function synth(props: ScopeEnvironmentProps, id: string) {
  const stack = new Stack(new App(), `scope-${id}`, { env: ENV });
  const environment = new ScopeEnvironment(stack, id, props);
  return { stack, environment, template: Template.fromStack(stack), json: Template.fromStack(stack).toJSON() };
}

/** Logical ID of the CloudFormation resource behind `construct`. */
function logicalId(construct: IConstruct): string {
  const cfn = (construct.node.defaultChild ?? construct) as CfnResource;
  return Stack.of(cfn).resolve(cfn.logicalId);
}

/** The alarm whose AlarmName is `name`, as template JSON. */
function alarmNamed(json: any, name: string): any {
  const found = Object.values<any>(json.Resources).filter(r => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmName === name);
  expect(found).toHaveLength(1);
  return found[0].Properties;
}

/** Every Ref / Fn::GetAtt target inside `node`. */
function references(node: any, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {node.forEach(n => references(n, found));} else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries<any>(node)) {
      if (key === 'Ref') {
        if (!String(value).startsWith('AWS::')) found.add(value); // pseudo parameters (region, partition) belong to no one
      } else if (key === 'Fn::GetAtt') {found.add(value[0]);} else {references(value, found);}
    }
  }
  return found;
}

const prod = synth({ profile: EnvironmentProfile.PRODUCTION }, 'prod');
const dev = synth({}, 'dev');

describe('alarms of a PRODUCTION environment: metric, dimensions bound to its own resources, threshold, missing data', () => {
  const { environment: env, json } = prod;
  const instance = logicalId(env.database.instance);
  const table = logicalId(env.reports.table);
  const cluster = logicalId(env.cluster.cluster);
  const targetGroup = logicalId(env.cluster.frontend!.targetGroup);
  const loadBalancer = logicalId(env.cluster.frontend!.loadBalancer);
  // The target group's LoadBalancer dimension is derived from the ARN of the listener that uses it.
  const listener = logicalId(env.cluster.frontend!.loadBalancer.node.findChild('Listener80'));
  const bootstrap = logicalId(env.database.node.findChild('BootstrapFunction'));

  test.each([
    // name, namespace, metric, statistic, dimensions, comparison, threshold, periods (datapoints/evaluation), period
    ['frontend-healthy-hosts', 'AWS/NetworkELB', 'HealthyHostCount', 'Minimum',
      { LoadBalancer: [listener], TargetGroup: [targetGroup] }, 'LessThanThreshold', 1, [3, 3], 60],
    ['frontend-load-balancer-resets', 'AWS/NetworkELB', 'TCP_ELB_Reset_Count', 'Sum',
      { LoadBalancer: [loadBalancer] }, 'GreaterThanThreshold', 100, [2, 2], 300],
    ['cluster-api-server5xx', 'AWS/EKS', 'apiserver_request_total_5XX', 'Sum', { ClusterName: [cluster] }, 'GreaterThanThreshold', 10, [2, 2], 300],
    ['cluster-failed-nodes', 'ContainerInsights', 'cluster_failed_node_count', 'Maximum', { ClusterName: [cluster] },
      'GreaterThanOrEqualToThreshold', 1, [3, 3], 60],
    ['cluster-node-cpu', 'ContainerInsights', 'node_cpu_utilization', 'Maximum', { ClusterName: [cluster] }, 'GreaterThanThreshold', 80, [5, 5], 60],
    ['cluster-node-memory', 'ContainerInsights', 'node_memory_utilization', 'Maximum', { ClusterName: [cluster] }, 'GreaterThanThreshold', 80, [5, 5], 60],
    ['database-cpu', 'AWS/RDS', 'CPUUtilization', 'Average', { DBInstanceIdentifier: [instance] }, 'GreaterThanThreshold', 90, [5, 5], 60],
    // db.m7g.large: 8 GiB; AWS recommends 25 % free
    ['database-freeable-memory', 'AWS/RDS', 'FreeableMemory', 'Average', { DBInstanceIdentifier: [instance] }, 'LessThanThreshold', 2 * GiB, [15, 15], 60],
    // 80 % of the estimated default max_connections of 8 GiB (0.75 * 8 GiB / 9531392 = 675)
    ['database-connections', 'AWS/RDS', 'DatabaseConnections', 'Average', { DBInstanceIdentifier: [instance] }, 'GreaterThanThreshold', 540, [5, 5], 60],
    // 10 % of the 20 GiB allocated
    ['database-free-storage', 'AWS/RDS', 'FreeStorageSpace', 'Minimum', { DBInstanceIdentifier: [instance] }, 'LessThanThreshold', 2 * GiB, [5, 5], 60],
    ['database-read-latency', 'AWS/RDS', 'ReadLatency', 'p90', { DBInstanceIdentifier: [instance] }, 'GreaterThanThreshold', 0.02, [5, 5], 60],
    ['database-write-latency', 'AWS/RDS', 'WriteLatency', 'p90', { DBInstanceIdentifier: [instance] }, 'GreaterThanThreshold', 0.02, [5, 5], 60],
    ['database-bootstrap-errors', 'AWS/Lambda', 'Errors', 'Sum', { FunctionName: [bootstrap] }, 'GreaterThanThreshold', 0, [1, 1], 60],
    ['reports-read-throttles', 'AWS/DynamoDB', 'ReadThrottleEvents', 'Sum', { TableName: [table] }, 'GreaterThanThreshold', 0, [5, 5], 60],
    ['reports-write-throttles', 'AWS/DynamoDB', 'WriteThrottleEvents', 'Sum', { TableName: [table] }, 'GreaterThanThreshold', 0, [5, 5], 60],
  ] as const)('prod-scope-%s: %s %s (%s)', (name, namespace, metric, statistic, dimensions, comparison, threshold, [datapoints, evaluation], period) => {
    const alarm = alarmNamed(json, `prod-scope-${name}`);
    expect(alarm).toMatchObject({
      Namespace: namespace,
      MetricName: metric,
      ComparisonOperator: comparison,
      Threshold: threshold,
      DatapointsToAlarm: datapoints,
      EvaluationPeriods: evaluation,
      Period: period,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.Statistic ?? alarm.ExtendedStatistic).toBe(statistic);
    // Each dimension value is a reference to exactly this environment's resource.
    expect(Object.fromEntries(alarm.Dimensions.map((d: any) => [d.Name, [...references(d.Value)]]))).toEqual(dimensions);
    expect(alarm.AlarmDescription).toMatch(/First check: /);
  });

  test('DynamoDB SystemErrors: the sum over the operations Scope calls, each on this table (the metric has no table-only series)', () => {
    const alarm = alarmNamed(json, 'prod-scope-reports-system-errors');
    expect(alarm).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', DatapointsToAlarm: 3, EvaluationPeriods: 5, TreatMissingData: 'notBreaching' });
    const stats = alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
    expect(stats.map((s: any) => s.Metric.Dimensions.find((d: any) => d.Name === 'Operation').Value).sort()).toEqual(['BatchGetItem', 'GetItem', 'PutItem', 'Query']);
    for (const s of stats) {
      expect(s).toMatchObject({ Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'SystemErrors' }, Stat: 'Sum', Period: 60 });
      expect(s.Metric.Dimensions).toContainEqual({ Name: 'TableName', Value: { Ref: table } });
    }
    const expression: string = alarm.Metrics.find((m: any) => m.Expression).Expression;
    for (const m of alarm.Metrics.filter((x: any) => x.MetricStat)) expect(expression).toContain(m.Id);
  });

  test.each([
    ['queues-oldest-message', 'ApproximateAgeOfOldestMessage', 300],
    ['queues-visible-messages', 'ApproximateNumberOfMessagesVisible', 1000],
  ])('prod-scope-%s: one Metrics Insights aggregate over the account\'s queues (no LIKE: not in the grammar)', (name, metric, threshold) => {
    const alarm = alarmNamed(json, `prod-scope-${name}`);
    expect(alarm).toMatchObject({ Threshold: threshold, ComparisonOperator: 'GreaterThanThreshold', DatapointsToAlarm: 5, EvaluationPeriods: 5, TreatMissingData: 'notBreaching' });
    expect(alarm.Metrics).toEqual([expect.objectContaining({
      Expression: `SELECT MAX(${metric}) FROM SCHEMA("AWS/SQS", QueueName)`,
      Period: 60,
      ReturnData: true,
    })]);
  });

  test('every alarm notifies the topic on ALARM and on OK, and no alarm watches another part\'s resource kind', () => {
    const topic = logicalId(env.monitoring!.alarmTopic);
    const alarms = Object.values<any>(json.Resources).filter(r => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(env.monitoring!.alarms.length);
    expect(alarms.length).toBe(18);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.AlarmName).toMatch(/^prod-scope-(frontend|cluster|database|reports|queues)-[a-z0-9-]+$/);
    }
  });
});

describe('alarm topic', () => {
  test('encrypted with a customer managed key that admits CloudWatch (aws/sns could not), TLS only, email subscriptions', () => {
    const { environment, template } = synth({ monitoring: { alarmEmails: ['ops@example.com', 'oncall@example.com'] } }, 'mail');
    const key = logicalId(environment.monitoring!.topicKey);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Effect: 'Allow',
        })]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const subs = template.findResources('AWS::SNS::Subscription');
    expect(Object.values<any>(subs).map(s => [s.Properties.Protocol, s.Properties.Endpoint]).sort()).toEqual([
      ['email', 'oncall@example.com'], ['email', 'ops@example.com'],
    ]);
    expect(JSON.stringify(template.toJSON())).not.toContain('alias/aws/sns');
  });

  test('a given encryptionKey encrypts the topic and gets the CloudWatch statement; no key of its own', () => {
    const stack = new Stack(new App(), 'Keyed', { env: ENV });
    const key = new kms.Key(stack, 'EnvKey', { enableKeyRotation: true });
    new EnvironmentMonitoring(stack, 'Monitoring', { envName: 'keyed', encryptionKey: key, reports: new ReportStore(stack, 'Reports', { envName: 'keyed' }) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(key), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  test('alarmActions false: alarms change state but notify no one', () => {
    const { json } = synth({ monitoring: { alarmActions: false } }, 'quiet');
    const alarms = Object.values<any>(json.Resources).filter(r => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(10);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
      expect(alarm.Properties.OKActions).toBeUndefined();
    }
  });
});

describe('profiles', () => {
  test('DEVELOPMENT (the default): topic, alarms and dashboard, no Container Insights and so no node alarms', () => {
    const { template, json } = dev;
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'amazon-cloudwatch-observability' }, 0);
    const names = Object.values<any>(json.Resources).filter(r => r.Type === 'AWS::CloudWatch::Alarm').map(r => r.Properties.AlarmName);
    expect(names).toHaveLength(15);
    expect(names.filter((n: string) => /node/.test(n))).toEqual([]);
  });

  test('DEVELOPMENT thresholds: 10 % free memory of a db.t4g.micro, control messages may wait a day', () => {
    expect(alarmNamed(dev.json, 'dev-scope-database-freeable-memory').Threshold).toBe(Math.round(0.1 * GiB));
    expect(alarmNamed(dev.json, 'dev-scope-database-connections').Threshold).toBe(Math.floor(estimatedMaxConnections(GiB) * 0.8));
    expect(alarmNamed(dev.json, 'dev-scope-queues-oldest-message').Threshold).toBe(86400);
    expect(alarmNamed(dev.json, 'dev-scope-queues-visible-messages').Threshold).toBe(10000);
    expect(alarmNamed(dev.json, 'dev-scope-frontend-load-balancer-resets').Threshold).toBe(1000);
  });

  test('PRODUCTION: the amazon-cloudwatch-observability add-on with a Pod Identity role holding CloudWatchAgentServerPolicy, after the nodes', () => {
    const { template, json, environment } = prod;
    const role = logicalId(environment.monitoring!.containerInsightsRole!);
    const addons = template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'amazon-cloudwatch-observability' } });
    expect(Object.keys(addons)).toHaveLength(1);
    const [addon] = Object.values<any>(addons);
    expect(addon.Properties).toMatchObject({
      ClusterName: { Ref: logicalId(environment.cluster.cluster) },
      PodIdentityAssociations: [{ ServiceAccount: 'cloudwatch-agent', RoleArn: { 'Fn::GetAtt': [role, 'Arn'] } }],
    });
    expect(addon.DependsOn).toEqual(expect.arrayContaining([logicalId(environment.cluster.nodegroup)]));
    expect(json.Resources[role].Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' },
    });
    expect(JSON.stringify(json.Resources[role].Properties.ManagedPolicyArns)).toContain(':iam::aws:policy/CloudWatchAgentServerPolicy');
    // The log groups the agent would otherwise create without expiry exist first, with the profile's
    // retention (PRODUCTION: a year, as Control Tower's CT.CLOUDWATCH.PR.2 asks) and the environment key.
    const groups = Object.entries<any>(json.Resources).filter(([, r]) => r.Type === 'AWS::Logs::LogGroup' && JSON.stringify(r.Properties.LogGroupName ?? '').includes('/aws/containerinsights/'));
    expect(groups).toHaveLength(2);
    for (const [id, group] of groups) {
      expect(group.Properties.RetentionInDays).toBe(365);
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/EncryptionKey/), 'Arn'] });
      expect(addon.DependsOn).toContain(id);
    }
  });

  test('containerInsights: true in DEVELOPMENT adds the add-on and the node alarms; false in PRODUCTION removes them', () => {
    const on = synth({ monitoring: { containerInsights: true } }, 'dev-ci');
    on.template.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'amazon-cloudwatch-observability' }, 1);
    alarmNamed(on.json, 'dev-ci-scope-cluster-failed-nodes');
    const off = synth({ profile: EnvironmentProfile.PRODUCTION, monitoring: { containerInsights: false } }, 'prod-noci');
    off.template.resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'amazon-cloudwatch-observability' }, 0);
    expect(JSON.stringify(off.json)).not.toContain('ContainerInsights');
  });

  test('monitoring.enabled false: no topic, alarm, dashboard or add-on', () => {
    const { template, environment } = synth({ monitoring: { enabled: false } }, 'bare');
    expect(environment.monitoring).toBeUndefined();
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });
});

describe('dashboard', () => {
  test('named <envName>-scope, one row per part in order, with the alarms of that part', () => {
    const dashboards = prod.template.findResources('AWS::CloudWatch::Dashboard');
    const [dashboard] = Object.values<any>(dashboards);
    expect(dashboard.Properties.DashboardName).toBe('prod-scope');
    const body = JSON.parse(bodyText(dashboard.Properties.DashboardBody));
    const titles = body.widgets.filter((w: any) => w.type === 'text').map((w: any) => w.properties.markdown);
    expect(titles).toEqual(['## frontend', '## cluster', '## database', '## reports', '## queues']);
    const alarmWidgets = body.widgets.filter((w: any) => w.type === 'metric' && w.properties.annotations?.alarms);
    expect(alarmWidgets).toHaveLength(prod.environment.monitoring!.alarms.length);
  });

  test('two environments in one stack: separate topics, alarms and dashboards, each referring only to its own resources', () => {
    const stack = new Stack(new App(), 'Both', { env: ENV });
    const a = new ScopeEnvironment(stack, 'alpha', {});
    const b = new ScopeEnvironment(stack, 'beta', { profile: EnvironmentProfile.PRODUCTION });
    const json = Template.fromStack(stack).toJSON();
    const byPath = (env: ScopeEnvironment) => new Set(env.node.findAll().filter(c => c instanceof CfnResource).map(c => logicalId(c)));
    const own = { alpha: byPath(a), beta: byPath(b) };
    expect(Object.values<any>(json.Resources).filter(r => r.Type === 'AWS::SNS::Topic')).toHaveLength(2);
    expect(Object.values<any>(json.Resources).filter(r => r.Type === 'AWS::CloudWatch::Dashboard').map(r => r.Properties.DashboardName).sort())
      .toEqual(['alpha-scope', 'beta-scope']);
    for (const [name, env] of [['alpha', a], ['beta', b]] as const) {
      const other = name === 'alpha' ? own.beta : own.alpha;
      const monitoring = env.monitoring!;
      for (const alarm of monitoring.alarms) {
        const props = json.Resources[logicalId(alarm)].Properties;
        expect(props.AlarmName.startsWith(`${name}-scope-`)).toBe(true);
        const refs = [...references(props)];
        expect(refs.filter(r => other.has(r))).toEqual([]);
        expect(refs.every(r => own[name].has(r))).toBe(true);
      }
      const dashboard = json.Resources[logicalId(monitoring.dashboard)].Properties.DashboardBody;
      const refs = [...references(dashboard)];
      expect(refs.length).toBeGreaterThan(0);
      expect(refs.filter(r => other.has(r))).toEqual([]);
      expect(refs.every(r => own[name].has(r))).toBe(true);
      expect(bodyText(dashboard)).not.toContain(name === 'alpha' ? 'beta' : 'alpha');
    }
  });
});

describe('on its own', () => {
  test('watching only a ReportStore and ControlQueues: their alarms, topic and dashboard, nothing else', () => {
    const stack = new Stack(new App(), 'Alone', { env: ENV });
    const reports = new ReportStore(stack, 'Reports', { envName: 'lab' });
    const queues = new ControlQueues(stack, 'Queues', { envName: 'lab' });
    const monitoring = new EnvironmentMonitoring(stack, 'Monitoring', { envName: 'lab', reports, queues });
    const template = Template.fromStack(stack);
    const names = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map(r => r.Properties.AlarmName).sort();
    expect(names).toEqual([
      'lab-scope-queues-oldest-message', 'lab-scope-queues-visible-messages',
      'lab-scope-reports-read-throttles', 'lab-scope-reports-system-errors', 'lab-scope-reports-write-throttles',
    ]);
    expect(monitoring.containerInsightsAddon).toBeUndefined();
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'lab-scope' });
  });

  test.each([
    [{ containerInsights: true }, /Invalid containerInsights true: .*pass cluster/],
    [{ alarmEmails: ['ops@example.com', 'not-an-address'] }, /Invalid alarmEmails\[1\] 'not-an-address': must be an email address/],
    [{ envName: 'Bad_Name' }, /Invalid envName 'Bad_Name'/],
  ])('bad props fail at synth time naming the prop: %j', (props, message) => {
    const stack = new Stack(new App(), 'Bad', { env: ENV });
    expect(() => new EnvironmentMonitoring(stack, 'Monitoring', props)).toThrow(message);
  });
});

describe('RDS sizing', () => {
  test.each([
    ['db.t4g.micro', 1], ['db.m7g.large', 8], ['m7g.xlarge', 16], ['db.r7g.large', 16], ['db.x2g.large', 32], ['db.t3.2xlarge', 32],
  ])('%s has %d GiB', (cls, gib) => expect(instanceMemoryBytes(cls)).toBe(gib * GiB));

  test.each(['db.z1d.large', 'db.t3.4xlarge', 'nonsense', undefined])('%s: unknown, so no memory-based alarm', cls => {
    expect(instanceMemoryBytes(cls)).toBeUndefined();
  });

  test('max_connections estimate: 75 % of memory / 9531392, at most 5000', () => {
    expect(estimatedMaxConnections(GiB)).toBe(84);
    expect(estimatedMaxConnections(8 * GiB)).toBe(675);
    expect(estimatedMaxConnections(768 * GiB)).toBe(5000);
  });
});

/** A DashboardBody (a string or an Fn::Join of strings and references) as text, references as `<ref>`. */
function bodyText(body: any): string {
  if (typeof body === 'string') return body;
  const [, parts] = body['Fn::Join'];
  return parts.map((p: any) => (typeof p === 'string' ? p : '<ref>')).join('');
}
