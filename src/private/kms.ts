/** Key policy statements and the environment key (see src/encryption for the public choice). */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Lets CloudWatch Logs in this region encrypt and decrypt log groups of this account with `key`,
 * the statement the CloudWatch Logs documentation gives ("Encrypt log data in CloudWatch Logs using
 * AWS KMS", https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html):
 * the service principal, limited by the encryption context to log groups of this account and region.
 */
export function allowCloudWatchLogs(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'CloudWatchLogsOfThisAccount',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
}

/**
 * Denies kms:CreateGrant on `key` unless an AWS service asks for it for one of its resources
 * (RDS, EBS, EKS, DynamoDB and Secrets Manager create grants on the key they encrypt with), as AWS
 * Control Tower's CT.KMS.PR.3 requires (kms:GrantIsForAWSResource, aws:PrincipalIsAWSService):
 * no principal can hand out lasting use of the key by grant.
 */
export function denyGrantsExceptForAwsServices(key: kms.IKey): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'GrantsOnlyForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
}

/**
 * The environment's customer managed key: yearly rotation, 30-day deletion window, the
 * CloudWatch Logs statement and the grant restriction. `removalPolicy` follows the environment's data.
 */
export function createEnvironmentKey(scope: Construct, id: string, envName: string, removalPolicy: RemovalPolicy): kms.Key {
  const key = new kms.Key(scope, id, {
    description: `Scope environment ${envName}: data at rest (table, bucket, queues, log groups, secrets, database)`,
    enableKeyRotation: true,
    pendingWindow: Duration.days(30),
    removalPolicy,
  });
  allowCloudWatchLogs(key);
  denyGrantsExceptForAwsServices(key);
  return key;
}
