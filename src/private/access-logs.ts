import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';

/**
 * The environment's access-log bucket: S3 server access logs of the reports bucket (prefix
 * `<envName>-reports/`) and any other log delivery the environment adds. SSE-S3, because S3
 * server access logging and ELB access logs deliver only to buckets with SSE-S3 default
 * encryption (S3 User Guide, "Enabling Amazon S3 server access logging"; ELB User Guide, "Access
 * logs"). Logs expire after a year; incomplete uploads after 7 days.
 */
export function createAccessLogBucket(scope: Construct, id: string, removalPolicy: RemovalPolicy): s3.Bucket {
  // Log delivery is allowed by a bucket policy (the feature flag's recommended value) rather than the
  // LogDeliveryWrite ACL, which needs ACLs on (ObjectWriter); the flag applies to this bucket only.
  const container = new Construct(scope, id);
  container.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
  const bucket = new s3.Bucket(container, 'Bucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(365), abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    removalPolicy,
    autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
  });
  return bucket;
}
