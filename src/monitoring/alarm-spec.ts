/**
 * Alarms as data (not exported from the package): an AlarmSpec says what to watch and why, with
 * the settings most Scope alarms share as defaults, and createAlarm() turns a spec into a
 * cloudwatch.Alarm. The shape follows cdklabs/cdk-monitoring-constructs (one alarm factory with
 * shared defaults, per-service alarm definitions).
 */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * Where every threshold comes from: CloudWatch's "Recommended alarms" page (statistic, period,
 * datapoints and, where it gives one, the threshold), one section per service.
 */
export const RECOMMENDED_ALARMS = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html';

/** The parts of an environment, in dashboard row order. */
export const PARTS = ['frontend', 'cluster', 'database', 'reports', 'queues'] as const;
/** One part of an environment: the first word of its alarms' names and a dashboard row. */
export type Part = typeof PARTS[number];

/** What makes one alarm. */
export interface AlarmSpec {
  readonly part: Part;
  /** PascalCase: construct id `<Part><id>`, alarm name `<envName>-scope-<part>-<kebab-id>`. */
  readonly id: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** @default ALARM_DEFAULTS.comparison */
  readonly comparison?: cloudwatch.ComparisonOperator;
  /** @default ALARM_DEFAULTS.evaluationPeriods */
  readonly evaluationPeriods?: number;
  /** @default - evaluationPeriods (every period in the window breaches) */
  readonly datapointsToAlarm?: number;
  /** @default ALARM_DEFAULTS.treatMissingData */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  /** The runbook: what it means and the first thing to check (also in README "Monitoring"). */
  readonly description: string;
}

/**
 * The settings most alarms share: "too high" for 5 of 5 one-period datapoints. Missing data is
 * not breaching: every metric watched here is either published only when something happens
 * (throttles, errors) or missing only while the resource is stopped, which other signals report.
 */
export const ALARM_DEFAULTS = {
  comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  evaluationPeriods: 5,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
} as const;

/** An alarm built from a spec, with the part and name the dashboard shows it under. */
export interface CreatedAlarm {
  readonly part: Part;
  readonly name: string;
  readonly alarm: cloudwatch.Alarm;
}

/** `HealthyHosts` -> `healthy-hosts`. */
function kebab(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** The alarm `spec` describes, created in `scope` with id `<Part><id>` and named `<envName>-scope-<part>-<kebab-id>`. */
export function createAlarm(scope: Construct, envName: string, spec: AlarmSpec): CreatedAlarm {
  const name = `${envName}-scope-${spec.part}-${kebab(spec.id)}`;
  const evaluationPeriods = spec.evaluationPeriods ?? ALARM_DEFAULTS.evaluationPeriods;
  const alarm = new cloudwatch.Alarm(scope, `${spec.part[0].toUpperCase()}${spec.part.slice(1)}${spec.id}`, {
    alarmName: name,
    alarmDescription: spec.description,
    metric: spec.metric,
    threshold: spec.threshold,
    comparisonOperator: spec.comparison ?? ALARM_DEFAULTS.comparison,
    evaluationPeriods,
    datapointsToAlarm: spec.datapointsToAlarm ?? evaluationPeriods,
    treatMissingData: spec.treatMissingData ?? ALARM_DEFAULTS.treatMissingData,
  });
  return { part: spec.part, name, alarm };
}

/** Every alarm notifies `topic` when it goes to ALARM and when it recovers (OK). */
export function notifyTopic(alarms: cloudwatch.Alarm[], topic: sns.ITopic): void {
  const action = new cwActions.SnsAction(topic);
  for (const alarm of alarms) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
