/**
 * The Metrics Insights parser: the documented sample queries parse, anything outside the grammar
 * (LIKE, OR, a label value without quotes, clauses out of order, an unknown function) is rejected.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { collectMetricsInsightsQueries, parseMetricsInsightsQuery } from './metrics-insights';

// Sample queries of the CloudWatch user guide, "Metrics Insights sample queries"
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-queryexamples.html)
// and the examples of the syntax page (cloudwatch-metrics-insights-querylanguage.html).
const DOCUMENTED = [
  'SELECT AVG(CPUUtilization) FROM "AWS/EC2"',
  'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2")',
  'SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId)',
  'SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)',
  'SELECT MAX(ActiveConnectionCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) GROUP BY LoadBalancer ORDER BY SUM() DESC LIMIT 10',
  'SELECT COUNT(CallCount) FROM SCHEMA("AWS/Usage", Class, Resource, Service, Type) WHERE Type = \'API\' GROUP BY Service, Resource ORDER BY COUNT() DESC LIMIT 20',
  'SELECT COUNT(CallCount) \nFROM SCHEMA("AWS/Usage", Class, Resource, Service, Type) \nWHERE Type = \'API\' AND Service = \'CloudWatch\' \nGROUP BY Resource \nORDER BY COUNT() DESC',
  'SELECT SUM(ReturnedBytes) FROM SCHEMA("AWS/DynamoDB", TableName) GROUP BY TableName ORDER BY MAX() DESC LIMIT 10',
  'SELECT AVG(CPUUtilization) FROM "AWS/EC2" WHERE InstanceType != \'c3.4xlarge\'',
  'select max(CPUUtilization) from "AWS/EC2" group by InstanceId order by max() asc limit 5',
];

test.each(DOCUMENTED)('documented query parses: %s', query => {
  expect(() => parseMetricsInsightsQuery(query)).not.toThrow();
});

test('the parts of a query come out as written', () => {
  expect(parseMetricsInsightsQuery(DOCUMENTED[5])).toEqual({
    func: 'COUNT',
    metric: 'CallCount',
    namespace: 'AWS/Usage',
    schemaKeys: ['Class', 'Resource', 'Service', 'Type'],
    where: [{ key: 'Type', operator: '=', value: 'API' }],
    groupBy: ['Service', 'Resource'],
    orderBy: { func: 'COUNT', direction: 'DESC' },
    limit: 20,
  });
});

test.each([
  ['LIKE', 'SELECT MAX(ApproximateAgeOfOldestMessage) FROM SCHEMA("AWS/SQS", QueueName) WHERE QueueName LIKE \'dev_control_%\'', /WHERE operator: = or !=.*"LIKE"/],
  ['OR', 'SELECT AVG(CPUUtilization) FROM "AWS/EC2" WHERE InstanceId = \'i-1\' OR InstanceId = \'i-2\'', /"OR"/],
  ['parentheses in WHERE', 'SELECT AVG(CPUUtilization) FROM "AWS/EC2" WHERE (InstanceId = \'i-1\')', /label key.*"\("/],
  ['an unquoted label value', 'SELECT AVG(CPUUtilization) FROM "AWS/EC2" WHERE InstanceId = i1', /single quotes/],
  ['an unquoted namespace with a slash', 'SELECT AVG(CPUUtilization) FROM AWS/EC2', /Unexpected character "\/"/],
  ['an unknown function', 'SELECT P99(Latency) FROM "AWS/ApplicationELB"', /a function: AVG, COUNT, MAX, MIN, SUM/],
  ['clauses out of order', 'SELECT AVG(CPUUtilization) FROM "AWS/EC2" LIMIT 5 GROUP BY InstanceId', /end of the query/],
  ['ORDER BY a metric', 'SELECT AVG(CPUUtilization) FROM "AWS/EC2" ORDER BY AVG(CPUUtilization)', /"\)"/],
  ['LIMIT 0', 'SELECT AVG(CPUUtilization) FROM "AWS/EC2" LIMIT 0', /positive whole number/],
  ['no FROM', 'SELECT AVG(CPUUtilization)', /query ended/],
])('rejected: %s', (_name, query, message) => {
  expect(() => parseMetricsInsightsQuery(query)).toThrow(message);
});

test('collects the SELECT queries of alarms and dashboards, and nothing else', () => {
  const stack = new Stack(new App(), 'queries');
  const select = new cloudwatch.MathExpression({ expression: 'SELECT MAX(CPUUtilization) FROM "AWS/EC2"', period: Duration.minutes(5) });
  const math = new cloudwatch.MathExpression({ expression: 'm1 * 2', usingMetrics: { m1: new cloudwatch.Metric({ namespace: 'AWS/EC2', metricName: 'CPUUtilization' }) } });
  new cloudwatch.Alarm(stack, 'Select', { metric: select, threshold: 1, evaluationPeriods: 1 });
  new cloudwatch.Alarm(stack, 'Math', { metric: math, threshold: 1, evaluationPeriods: 1 });
  new cloudwatch.Dashboard(stack, 'Dashboard', {
    widgets: [[new cloudwatch.GraphWidget({ left: [new cloudwatch.MathExpression({ expression: 'SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)' }), math] })]],
  });
  const found = collectMetricsInsightsQueries(Template.fromStack(stack).toJSON());
  expect(found.map(f => f.query).sort()).toEqual([
    'SELECT MAX(CPUUtilization) FROM "AWS/EC2"',
    'SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer)',
  ]);
  expect(found.map(f => f.where).sort()).toEqual([expect.stringMatching(/^alarm Select\w+ \(metric expr_1\)$/), expect.stringMatching(/^dashboard Dashboard\w+ widget 0$/)]);
});
