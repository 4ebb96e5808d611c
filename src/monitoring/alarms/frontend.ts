/** Alarms and graphs of the frontend load balancer (a ScopeCluster's FrontendEndpoint). */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { FrontendEndpoint } from '../../frontend';
import { AlarmThresholds } from '../../profile';
import { AlarmSpec, RECOMMENDED_ALARMS } from '../alarm-spec';
import { KUBECONFIG } from './cluster';

/** HealthyHosts and LoadBalancerResets of the frontend's target group and load balancer. */
export function frontendAlarms(frontend: FrontendEndpoint, t: AlarmThresholds): AlarmSpec[] {
  return [
    // Recommended alarms, Network Load Balancer: HealthyHostCount (Minimum, 60 s) of the target
    // group. Below 1 means no pod of the frontend Service answers health checks: the app is down.
    // Missing data (the target group reports no health, e.g. before the first target was ever
    // registered) is not breaching; once the app ran, an empty target group reports 0 and alarms.
    {
      part: 'frontend',
      id: 'HealthyHosts',
      metric: frontend.targetGroup.metrics.healthyHostCount({ statistic: cloudwatch.Stats.MINIMUM, period: Duration.minutes(1) }),
      threshold: 1,
      comparison: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 3,
      description: `No healthy frontend target for 3 minutes: the app is down. First check: kubectl get pods,endpoints -n ${frontend.namespace} `
        + `(kubeconfig: ${KUBECONFIG}; the Service ${frontend.serviceName} needs ready pods) and kubectl describe targetgroupbinding ${frontend.serviceName} -n ${frontend.namespace}. `
        + `Source: ${RECOMMENDED_ALARMS} (Network Load Balancer).`,
    },
    // TCP resets sent by the load balancer itself (TCP_ELB_Reset_Count, Sum): targets that do not
    // answer or connections that time out. Not on the recommended list (its NLB section has no reset
    // alarm); metric from https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html.
    // No traffic, no data: not breaching.
    {
      part: 'frontend',
      id: 'LoadBalancerResets',
      metric: frontend.loadBalancer.metrics.tcpElbResetCount({ period: Duration.minutes(5) }),
      threshold: t.frontendResetsPer5Minutes,
      evaluationPeriods: 2,
      description: `The frontend load balancer reset more than ${t.frontendResetsPer5Minutes} connections per 5 minutes for 10 minutes: targets stop `
        + 'answering or connections time out. First check: the HealthyHosts alarm and the pods\' restarts (kubectl get pods -n '
        + `${frontend.namespace}); compare TCP_Target_Reset_Count on the dashboard (resets sent by the app itself).`,
    },
  ];
}

/** Extra dashboard graphs of the frontend row: resets sent by the load balancer beside those sent by the targets. */
export function frontendWidgets(frontend: FrontendEndpoint): cloudwatch.IWidget[] {
  return [new cloudwatch.GraphWidget({
    title: 'TCP resets (load balancer / targets)',
    left: [
      frontend.loadBalancer.metrics.tcpElbResetCount({ period: Duration.minutes(5) }),
      frontend.loadBalancer.metrics.tcpTargetResetCount({ period: Duration.minutes(5) }),
    ],
    width: 8,
  })];
}
