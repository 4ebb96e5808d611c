/** The log group RDS exports PostgreSQL logs to: RDS would create it without retention. */

/** Creates or adopts a log group and sets its retention and KMS key (CloudWatch Logs in Lambda, a fake in tests). */
export interface LogGroupSettings {
  ensure(logGroupName: string, retentionInDays: number, kmsKeyArn?: string): Promise<void>;
}

/**
 * LogGroupSettings on CloudWatch Logs, with the SDK v3 client the Lambda Node.js runtime ships
 * (loaded when needed; not a dependency of this package).
 */
export function cloudWatchLogGroups(): LogGroupSettings {
  return {
    async ensure(logGroupName, retentionInDays, kmsKeyId) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const sdk = require('@aws-sdk/client-cloudwatch-logs');
      const client = new sdk.CloudWatchLogsClient({});
      try {
        await client.send(new sdk.CreateLogGroupCommand({ logGroupName, kmsKeyId }));
      } catch (e) {
        if ((e as Error).name !== 'ResourceAlreadyExistsException') throw e;
        if (kmsKeyId) await client.send(new sdk.AssociateKmsKeyCommand({ logGroupName, kmsKeyId }));
      }
      await client.send(new sdk.PutRetentionPolicyCommand({ logGroupName, retentionInDays }));
    },
  };
}
