/** Alarms of the EKS cluster: the API server (always) and the nodes (with Container Insights). */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { AlarmThresholds } from '../../profile';
import { AlarmSpec, RECOMMENDED_ALARMS } from '../alarm-spec';

/** Where kubectl's kubeconfig comes from in every Scope environment (ScopeCluster's output). */
export const KUBECONFIG = 'run the KubeconfigCommand output of the stack';

/** ApiServer5xx: 5xx answers of the Kubernetes API server. */
export function apiServerAlarms(cluster: eks.ICluster, t: AlarmThresholds): AlarmSpec[] {
  return [
    // EKS vends control plane metrics to AWS/EKS for free on Kubernetes 1.28 and later
    // (https://docs.aws.amazon.com/eks/latest/userguide/cloudwatch.html). Not on the recommended
    // list: 5xx answers of the API server break kubectl, controllers and the deployment's own
    // manifests. An idle API server still serves the controllers, so data flows; gaps are not breaching.
    {
      part: 'cluster',
      id: 'ApiServer5xx',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/EKS',
        metricName: 'apiserver_request_total_5XX',
        dimensionsMap: { ClusterName: cluster.clusterName },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: t.apiServer5xxPer5Minutes,
      evaluationPeriods: 2,
      description: `The Kubernetes API server answered more than ${t.apiServer5xxPer5Minutes} requests per 5 minutes with 5xx for 10 minutes. `
        + 'First check: the AWS Health dashboard for EKS, then the API server log (CloudWatch Logs /aws/eks/<cluster>/cluster, kube-apiserver-*) '
        + 'for the failing requests; admission webhooks that time out (kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations) are a common cause.',
    },
  ];
}

/** FailedNodes, NodeCpu and NodeMemory: they need the Container Insights metrics. */
export function nodeAlarms(cluster: eks.ICluster, t: AlarmThresholds): AlarmSpec[] {
  const ci = (metricName: string) => new cloudwatch.Metric({
    namespace: 'ContainerInsights',
    metricName,
    dimensionsMap: { ClusterName: cluster.clusterName },
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.minutes(1),
  });
  const source = `Source: ${RECOMMENDED_ALARMS} (Container Insights).`;
  // Recommended alarms, Amazon EKS with Container Insights. These metrics exist only while the
  // add-on runs; without data (add-on not ready yet) the alarms stay OK.
  const failedNodes: AlarmSpec = {
    part: 'cluster',
    id: 'FailedNodes',
    metric: ci('cluster_failed_node_count'),
    threshold: 1,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 3,
    description: 'At least one node has failed (not Ready, or under memory/disk/PID pressure) for 3 minutes. First check: kubectl get nodes '
      + `and kubectl describe node <name> (Conditions, Events; kubeconfig: ${KUBECONFIG}), or Container Insights (CloudWatch console, this cluster); `
      + `the managed node group replaces unhealthy instances. ${source}`,
  };
  const utilization = ([id, metricName, what]: readonly [string, string, string]): AlarmSpec => ({
    part: 'cluster',
    id,
    metric: ci(metricName),
    threshold: t.nodeUtilizationPercent,
    description: `A node used more than ${t.nodeUtilizationPercent}% of its ${what} for 5 minutes. First check: Container Insights (CloudWatch `
      + 'console, this cluster, top pods by ' + what + ') or kubectl top pods -A --sort-by=' + (what === 'CPU' ? 'cpu' : 'memory')
      + `; raise nodeCount or the instance type, or set resource limits on the pod that grew. ${source}`,
  });
  return [
    failedNodes,
    ...([['NodeCpu', 'node_cpu_utilization', 'CPU'], ['NodeMemory', 'node_memory_utilization', 'memory']] as const).map(utilization),
  ];
}
