/** The dashboard of EnvironmentMonitoring (not exported from the package). */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { CreatedAlarm, PARTS } from './alarm-spec';

/**
 * `Dashboard` in `scope`, named `<envName>-scope`: per part that has alarms a title row, then its
 * alarms (a status widget, each alarm with its threshold) and the part's `extraWidgets`.
 */
export function createDashboard(scope: Construct, envName: string, alarms: CreatedAlarm[],
  extraWidgets: { readonly [part: string]: cloudwatch.IWidget[] }): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: `${envName}-scope`,
    defaultInterval: Duration.hours(3),
  });
  for (const part of PARTS) {
    const ofPart = alarms.filter(a => a.part === part);
    if (ofPart.length === 0) continue;
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${part}`, width: 24, height: 1 }));
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: `${part} alarms`, alarms: ofPart.map(a => a.alarm), width: 4, height: 6 }),
      ...ofPart.map(a => new cloudwatch.AlarmWidget({ title: a.name, alarm: a.alarm, width: 8, height: 6 })),
      ...(extraWidgets[part] ?? []),
    );
  }
  return dashboard;
}
