/** The alarm topic of EnvironmentMonitoring and its key (not exported from the package). */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { denyGrantsExceptForAwsServices } from '../private/kms';
import { warn, WARNINGS } from '../private/warnings';

/** The AWS managed key aws/sns cannot be used: its key policy cannot admit cloudwatch.amazonaws.com. */
const SNS_KEY_COMPATIBILITY = 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services';

/** The alarm topic and the key that encrypts it. */
export interface AlarmTopic {
  readonly topic: sns.Topic;
  readonly key: kms.IKey;
}

/**
 * `TopicKey` (unless `encryptionKey` is given) and `AlarmTopic` in `scope`, the key admitting
 * CloudWatch, and an email subscription per address of `alarmEmails`.
 */
export function createAlarmTopic(scope: Construct, envName: string, encryptionKey?: kms.IKey, alarmEmails: string[] = []): AlarmTopic {
  const key = encryptionKey ?? createTopicKey(scope, envName);
  // CloudWatch publishes to an encrypted topic only with a customer managed key whose policy
  // admits cloudwatch.amazonaws.com (SNS_KEY_COMPATIBILITY); aws/sns cannot be changed to allow it.
  // No aws:SourceAccount/SourceArn condition: AWS's example statement has none, and a condition
  // the KMS request did not carry would drop every notification silently. The grant is only
  // exercised through a Publish to this topic, which the topic policy limits to this account.
  const added = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }), true);
  if (!added.statementAdded) {
    warn(scope, WARNINGS.monitoringImportedKey,
      `encryptionKey is imported: allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* in its key policy, or alarms cannot publish (${SNS_KEY_COMPATIBILITY}).`);
  }
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    displayName: `${envName} Scope alarms`,
    masterKey: key,
    enforceSSL: true,
  });
  alarmEmails.forEach(email => topic.addSubscription(new subscriptions.EmailSubscription(email)));
  return { topic, key };
}

/** The topic's own key, for when no encryptionKey is given. */
function createTopicKey(scope: Construct, envName: string): kms.Key {
  const key = new kms.Key(scope, 'TopicKey', {
    description: `Encrypts the ${envName} Scope alarm topic`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // Grants only for AWS services (Control Tower CT.KMS.PR.3), as on every key the library creates.
  denyGrantsExceptForAwsServices(key);
  return key;
}
