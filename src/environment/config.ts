/** The ConfigMap `scope-environment`: the non-secret values the application needs. */
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EnvironmentParts } from './parts';
import { EnvironmentConfig } from '../gitops';

/**
 * The ConfigMap's values, bound to the environment's resources: names, endpoints and the ARNs of
 * the secrets (never a secret value). A service user without an access key has no `*_SECRET_ARN`.
 */
export function environmentConfigValues(env: Construct & EnvironmentParts): { [key: string]: string } {
  const values: { [key: string]: string } = {
    SCOPE_ENVIRONMENT: env.envName,
    AWS_REGION: Stack.of(env).region,
    REPORTS_TABLE: env.reports.table.tableName,
    REPORTS_BUCKET: env.reports.bucket.bucketName,
    CONTROL_QUEUE_PREFIX: env.queues.queuePrefix,
    DATABASE_HOST: env.database.instance.dbInstanceEndpointAddress,
    DATABASE_PORT: env.database.instance.dbInstanceEndpointPort,
    DATABASE_NAME: env.database.databaseName,
    DATABASE_SECRET_ARN: env.database.appSecret.secretArn,
  };
  const keySecrets = [
    ['REPORT_WRITER_SECRET_ARN', env.users.reportWriter],
    ['REPORT_READER_SECRET_ARN', env.users.reportReader],
    ['QUEUE_READWRITER_SECRET_ARN', env.users.queueReadWriter],
  ] as const;
  for (const [key, user] of keySecrets) {
    if (user.secret) values[key] = user.secret.secretArn;
  }
  return values;
}

/**
 * The ConfigMap in the application's namespace, with the service accounts of the Pod Identity
 * roles; construct id `EnvironmentConfig` in the environment `env`.
 */
export function addEnvironmentConfig(env: Construct & EnvironmentParts): EnvironmentConfig {
  const frontend = env.cluster.frontend;
  return new EnvironmentConfig(env, 'EnvironmentConfig', {
    cluster: env.cluster.eksCluster,
    namespace: env.users.namespace,
    values: environmentConfigValues(env),
    serviceAccounts: env.users.serviceAccounts,
    // One owner per namespace: the frontend's, when its Service runs in the application's namespace.
    namespaceManifest: frontend?.namespace === env.users.namespace ? frontend.namespaceManifest : undefined,
  });
}
