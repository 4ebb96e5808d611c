import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Which KMS key encrypts an environment's data at rest (`ScopeEnvironmentProps.encryptionKey`):
 * one customer managed key for the table, bucket, pre-created queues, log groups and secrets
 * (and, for a new database, its storage), or the AWS owned and AWS managed keys of each service.
 */
export class EnvironmentKey {
  /** Create one customer managed key for the environment (automatic yearly rotation). */
  public static create(): EnvironmentKey {
    return new EnvironmentKey(true);
  }

  /**
   * Use this customer managed key. Its policy must let the account's IAM policies grant its use
   * (the default key policy does). For a `kms.Key` of the same app ScopeEnvironment adds the
   * CloudWatch Logs and grant statements it needs; to an imported key add them yourself (README "Encryption").
   */
  public static fromKey(key: kms.IKey): EnvironmentKey {
    return new EnvironmentKey(false, key);
  }

  /**
   * No customer managed key: DynamoDB's AWS owned key, SSE-S3, SQS managed SSE, aws/secretsmanager
   * and aws/rds, CloudWatch Logs' own encryption. Everything stays encrypted at rest.
   */
  public static awsManaged(): EnvironmentKey {
    return new EnvironmentKey(false);
  }

  /** True when ScopeEnvironment creates the key. */
  public readonly createsKey: boolean;
  /** The key given with `fromKey`. */
  public readonly key?: kms.IKey;

  private constructor(createsKey: boolean, key?: kms.IKey) {
    this.createsKey = createsKey;
    this.key = key;
  }
}
