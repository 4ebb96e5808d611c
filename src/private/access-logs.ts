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
 *
 * Removal: DESTROY empties it first (aws-cdk-lib's autoDeleteObjects) and deletes it. Any policy that
 * keeps data becomes RETAIN, not RetainExceptOnCreate (see accessLogBucketRemovalPolicy).
 */
export function createAccessLogBucket(scope: Construct, id: string, dataRemovalPolicy: RemovalPolicy): s3.Bucket {
  const removalPolicy = accessLogBucketRemovalPolicy(dataRemovalPolicy);
  // Log delivery is allowed by a bucket policy (the feature flag's recommended value) rather than the
  // LogDeliveryWrite ACL, which needs ACLs on (ObjectWriter); the flag applies to this bucket only.
  const container = new Construct(scope, id);
  container.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);
  const bucket = new s3.Bucket(container, 'Bucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    // Versioned (CT.S3.PR.11) so a log object cannot be overwritten unnoticed; logs are written once,
    // so the only old versions are those expiry leaves behind, removed a day later.
    versioned: true,
    lifecycleRules: [
      {
        id: 'expire-logs',
        expiration: Duration.days(365),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
      { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
    ],
    removalPolicy,
    autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
  });
  sendEventsToEventBridge(bucket);
  return bucket;
}

/**
 * The access-log bucket's removal policy for the environment's data policy. The bucket receives
 * logs while the first deploy runs (S3 server access logs of the reports bucket, load balancer
 * logs), and CloudFormation can only delete an empty bucket ("For Amazon S3 buckets, you must delete
 * all objects in the bucket for deletion to succeed", DeletionPolicy attribute,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html).
 * RetainExceptOnCreate would make CloudFormation delete it when a failed first deploy rolls back,
 * which fails on those logs (ROLLBACK_FAILED). aws-cdk-lib's autoDeleteObjects cannot be limited to
 * that rollback (its custom resource empties the bucket on every delete, also `cdk destroy` of a
 * PRODUCTION stack), and an own emptying step would be one more Lambda function outside the VPC.
 * So: RETAIN. A failed first deploy leaves the bucket, with the logs of the failed attempt; its name
 * is generated, so the retry creates a new one and nothing collides (README "What a failed first
 * deploy and a destroy leave behind"); its objects expire after a year like all logs.
 */
export function accessLogBucketRemovalPolicy(dataRemovalPolicy: RemovalPolicy): RemovalPolicy {
  return dataRemovalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}

/**
 * S3 sends the bucket's object events to the account's default EventBridge bus (CT.S3.PR.4), for
 * rules the user may add (e.g. an alert on deleted reports). Set on the CloudFormation resource:
 * aws-cdk-lib's `eventBridgeEnabled` would manage it through a custom-resource Lambda function.
 * Delivering AWS service events to the default bus is free (EventBridge pricing).
 */
export function sendEventsToEventBridge(bucket: s3.IBucket): void {
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
}
