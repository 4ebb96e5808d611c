/**
 * Alarms of the users database: the RDS instance (sized from the instance class and storage the
 * UsersDatabase reports) and the bootstrap function.
 */
import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { UsersDatabase } from '../../database';
import { warn, WARNINGS } from '../../private/warnings';
import { AlarmThresholds } from '../../profile';
import { AlarmSpec, RECOMMENDED_ALARMS } from '../alarm-spec';
import { estimatedMaxConnections, instanceMemoryBytes } from '../rds-sizing';

const SOURCE = `Source: ${RECOMMENDED_ALARMS} (Amazon RDS).`;
const LT = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;

/** A metric of the instance `instanceIdentifier`, one datapoint per minute. */
type RdsMetric = (metricName: string, statistic: string) => cloudwatch.IMetric;

/**
 * Every database alarm, in dashboard order. The ones that need the instance's memory or storage
 * size are skipped, with a warning on `scope`, when that size is not known at synth time.
 */
export function databaseAlarms(scope: Construct, database: UsersDatabase, t: AlarmThresholds): AlarmSpec[] {
  const rdsMetric: RdsMetric = (metricName, statistic) => new cloudwatch.Metric({
    namespace: 'AWS/RDS',
    metricName,
    dimensionsMap: { DBInstanceIdentifier: database.instance.instanceIdentifier },
    statistic,
    period: Duration.minutes(1),
  });
  // RDS publishes these every minute while the instance runs: missing data means a stopped or
  // rebooting instance (RDS events report that), never "too high" or "too low".
  return [
    {
      part: 'database',
      id: 'Cpu',
      metric: rdsMetric('CPUUtilization', cloudwatch.Stats.AVERAGE),
      threshold: t.databaseCpuPercent,
      // The first check is one this instance has: Database Insights only where it is on (the
      // Performance Insights console it replaces ends on 2026-07-31, see UsersDatabaseOptions.databaseInsights).
      description: `The users database used more than ${t.databaseCpuPercent}% CPU for 5 minutes (burstable classes: also check CPUCreditBalance). `
        + `First check: ${database.databaseInsights
          ? 'Database Insights (CloudWatch console, Insights, Database Insights, this instance: DB load by SQL statement)'
          : 'pg_stat_activity (SELECT pid, state, query FROM pg_stat_activity WHERE state <> \'idle\')'} for the queries running; `
        + `then a larger instanceType. ${SOURCE}`,
    },
    ...memoryAlarms(scope, database, t, rdsMetric),
    ...storageAlarms(scope, database, t, rdsMetric),
    ...latencyAlarms(t, rdsMetric),
    ...bootstrapAlarms(database),
  ];
}

/** FreeableMemory and Connections, both relative to the memory of the instance class. */
function memoryAlarms(scope: Construct, database: UsersDatabase, t: AlarmThresholds, rdsMetric: RdsMetric): AlarmSpec[] {
  // The class as RDS names it (DatabaseInstance renders DBInstanceClass as `db.<instanceType>`).
  const instanceClass = `db.${database.instanceType}`;
  const memory = instanceMemoryBytes(instanceClass);
  if (memory === undefined) {
    warn(scope, WARNINGS.monitoringDatabaseClass,
      `Database instance class ${JSON.stringify(instanceClass)} has no known memory size: no FreeableMemory and DatabaseConnections alarms.`);
    return [];
  }
  const freeMemory = Math.round(memory * t.databaseFreeMemoryShare);
  const connections = Math.floor(estimatedMaxConnections(memory) * t.databaseConnectionsShare);
  return [
    {
      part: 'database',
      id: 'FreeableMemory',
      metric: rdsMetric('FreeableMemory', cloudwatch.Stats.AVERAGE),
      threshold: freeMemory,
      comparison: LT,
      evaluationPeriods: 15,
      description: `The users database had less than ${Math.round(t.databaseFreeMemoryShare * 100)}% of its memory free for 15 minutes `
        + `(${Math.round(freeMemory / 2 ** 20)} MiB): connections may be refused. First check: the DatabaseConnections graph on the RDS console and long-running queries in pg_stat_activity; then a larger instanceType. ${SOURCE}`,
    },
    {
      part: 'database',
      id: 'Connections',
      metric: rdsMetric('DatabaseConnections', cloudwatch.Stats.AVERAGE),
      threshold: connections,
      description: `More than ${connections} connections to the users database for 5 minutes (${Math.round(t.databaseConnectionsShare * 100)}% of the `
        + 'estimated default max_connections): new connections will soon be refused. First check: SELECT usename, application_name, count(*) FROM '
        + `pg_stat_activity GROUP BY 1, 2 (a service leaking connections, or too many replicas without a pool). ${SOURCE}`,
    },
  ];
}

/**
 * FreeStorage, relative to the allocated storage. (The recommended alarms page advises against
 * this alarm with storage autoscaling; UsersDatabase does not turn storage autoscaling on.)
 */
function storageAlarms(scope: Construct, database: UsersDatabase, t: AlarmThresholds, rdsMetric: RdsMetric): AlarmSpec[] {
  const allocated = database.allocatedStorage;
  if (Token.isUnresolved(allocated) || !Number.isFinite(allocated)) {
    warn(scope, WARNINGS.monitoringDatabaseStorage, 'Database allocatedStorage is not a number known at synth time: no FreeStorageSpace alarm.');
    return [];
  }
  const freeStorage = Math.round(allocated * 2 ** 30 * t.databaseFreeStorageShare);
  return [{
    part: 'database',
    id: 'FreeStorage',
    metric: rdsMetric('FreeStorageSpace', cloudwatch.Stats.MINIMUM),
    threshold: freeStorage,
    comparison: LT,
    description: `The users database has less than ${Math.round(t.databaseFreeStorageShare * 100)}% of its ${allocated} GiB storage free: `
      + 'PostgreSQL stops accepting writes when it is full. First check: table and WAL sizes (SELECT pg_size_pretty(pg_database_size(\'users\'))); '
      + `raise database.allocatedStorage (an online change). ${SOURCE}`,
  }];
}

/** ReadLatency and WriteLatency (p90). */
function latencyAlarms(t: AlarmThresholds, rdsMetric: RdsMetric): AlarmSpec[] {
  return (['read', 'write'] as const).map((what): AlarmSpec => {
    const Name = what === 'read' ? 'Read' : 'Write';
    return {
      part: 'database',
      id: `${Name}Latency`,
      metric: rdsMetric(`${Name}Latency`, cloudwatch.Stats.p(90)),
      threshold: t.databaseLatencySeconds,
      description: `p90 disk ${what} latency of the users database above ${t.databaseLatencySeconds * 1000} ms for 5 minutes: the workload exceeds `
        + `the storage's IOPS or throughput. First check: ${Name}IOPS and DiskQueueDepth on the RDS console; then gp3 IOPS or a larger instance. ${SOURCE}`,
    };
  });
}

/** BootstrapErrors of the function behind the bootstrap custom resource. */
function bootstrapAlarms(database: UsersDatabase): AlarmSpec[] {
  const bootstrap = database.bootstrapFunction;
  if (!bootstrap) return [];
  // It runs only during deployments: no invocation, no data, not breaching.
  return [{
    part: 'database',
    id: 'BootstrapErrors',
    metric: bootstrap.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1) }),
    threshold: 0,
    evaluationPeriods: 1,
    description: 'The database bootstrap (creates the users database and its application role during deployments) failed. First check: its log '
      + `group (UsersDatabase BootstrapLogs) for the error, usually network reach to the instance or a secret. Source: ${RECOMMENDED_ALARMS} (AWS Lambda, Errors).`,
  }];
}
