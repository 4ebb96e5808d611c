import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { createAlarm } from '../../src/monitoring/alarm-spec';

const metric = new cloudwatch.Metric({ namespace: 'Test', metricName: 'Things' });

function alarmOf(spec: Partial<Parameters<typeof createAlarm>[2]>) {
  const stack = new Stack(new App(), 'Spec');
  const created = createAlarm(stack, 'lab', { part: 'reports', id: 'ReadThrottles', metric, threshold: 7, description: 'runbook', ...spec });
  const [props] = Object.values<any>(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(r => r.Properties);
  return { created, props, stack };
}

describe('createAlarm: one spec, one alarm', () => {
  test('id <Part><id> in the given scope, name <envName>-scope-<part>-<kebab-id>, the runbook as description', () => {
    const { created, props, stack } = alarmOf({});
    expect(created.alarm.node.scope).toBe(stack);
    expect(created.alarm.node.id).toBe('ReportsReadThrottles');
    expect(created.name).toBe('lab-scope-reports-read-throttles');
    expect(props.AlarmName).toBe('lab-scope-reports-read-throttles');
    expect(props.AlarmDescription).toBe('runbook');
    expect(props.Threshold).toBe(7);
  });

  test('shared defaults: too high in 5 of 5 periods, missing data not breaching', () => {
    const { props } = alarmOf({});
    expect(props).toMatchObject({
      ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 5, DatapointsToAlarm: 5, TreatMissingData: 'notBreaching',
    });
  });

  test('a spec overrides a default; datapoints follow the evaluation periods unless given', () => {
    expect(alarmOf({ evaluationPeriods: 3, comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD }).props).toMatchObject({
      ComparisonOperator: 'LessThanThreshold', EvaluationPeriods: 3, DatapointsToAlarm: 3,
    });
    expect(alarmOf({ datapointsToAlarm: 3 }).props).toMatchObject({ EvaluationPeriods: 5, DatapointsToAlarm: 3 });
    expect(alarmOf({ treatMissingData: cloudwatch.TreatMissingData.BREACHING }).props.TreatMissingData).toBe('breaching');
  });
});
