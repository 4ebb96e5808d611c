/** The outputs of ScopeEnvironment: keys without hashes, optional exports. */
import { CfnOutput, Fn } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentParts } from './parts';
import { TLS_PORT } from '../private/ports';

/** The logical ID of an environment's output: `<EnvName><Key>` (`my-env`, `FrontendUrl` -> `MyEnvFrontendUrl`). */
export function outputKey(envName: string, key: string): string {
  return envName.split('-').map(word => word.charAt(0).toUpperCase() + word.slice(1)).join('') + key;
}

/** The name an output is exported under with `exportOutputs`. */
export function exportName(envName: string, key: string): string {
  return `scope-${envName}-${key}`;
}

/**
 * Outputs keyed `<EnvName><Key>` (`DevKubeconfigCommand`), without the hash CDK would add, so
 * scripts can read them by a name that never changes; claimEnvName keeps them unique per stack.
 * Each output is a child of `scope` with construct id `<Key>`.
 */
export function addOutputs(scope: Construct, env: EnvironmentParts, exportOutputs: boolean): void {
  const envName = env.envName;
  const output = (key: string, value: string, description: string) => {
    const cfnOutput = new CfnOutput(scope, key, {
      value,
      description: `${envName}: ${description}`,
      exportName: exportOutputs ? exportName(envName, key) : undefined,
    });
    cfnOutput.overrideLogicalId(outputKey(envName, key));
  };

  output('KubeconfigCommand', env.cluster.kubeconfigCommand, 'run this to get a kubeconfig for the cluster (replaces the checked-in kubeconfig)');
  const frontend = env.cluster.frontend;
  if (frontend) {
    const host = env.dns?.frontendName ?? frontend.loadBalancer.loadBalancerDnsName;
    const scheme = frontend.ports.includes(TLS_PORT) ? 'https' : 'http';
    output('FrontendUrl', `${scheme}://${host}/`, 'URL of the frontend load balancer');
  }
  // Without delegation EnvironmentDns already outputs the name servers with what to add where.
  const dnsOutput = env.dns?.nameServersOutput;
  if (dnsOutput) {
    dnsOutput.overrideLogicalId(outputKey(envName, 'ZoneNameServers'));
    if (exportOutputs) dnsOutput.exportName = exportName(envName, 'ZoneNameServers');
  } else if (env.dns?.nameServers) {
    output('ZoneNameServers', Fn.join(',', env.dns.nameServers), `name servers of ${env.dns.zoneName}; the parent domain delegates to them`);
  }
  output('DatabaseEndpoint', env.database.instance.dbInstanceEndpointAddress, 'PostgreSQL endpoint (private, TLS only)');
  output('DatabaseAppSecretArn', env.database.appSecret.secretArn, 'secret with the users service postgres:// URL (read it, never print it in CI logs)');
  output('ReportsTableName', env.reports.table.tableName, 'DynamoDB reports table');
  output('ReportsBucketName', env.reports.bucket.bucketName, 'S3 bucket for report bodies');
  output('ControlQueuePrefix', env.queues.queuePrefix, 'name prefix of the control queues');
  if (env.monitoring) {
    output('AlarmTopicArn', env.monitoring.alarmTopic.topicArn, 'SNS topic of the alarms; subscribe Chatbot (Slack), PagerDuty or HTTPS endpoints to it');
    output('DashboardName', `${envName}-scope`, 'CloudWatch dashboard of the environment');
  }
  const users = [
    ['ReportWriterSecretArn', env.users.reportWriter, 'collection service (report writer)'],
    ['ReportReaderSecretArn', env.users.reportReader, 'query service (report reader)'],
    ['QueueReadWriterSecretArn', env.users.queueReadWriter, 'control service (queue reader/writer)'],
  ] as const;
  for (const [id, user, what] of users) {
    if (user.secret) {
      output(id, user.secret.secretArn, `access key secret of the ${what}; \`npx scope-credentials --secret <arn>\` prints its URL`);
    }
  }
}
