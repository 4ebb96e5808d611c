/** The alarm topic of EnvironmentMonitoring and its key (not exported from the package). */
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
  // No aws:SourceAccount/SourceArn condition here: AWS's example statement (SNS_KEY_COMPATIBILITY)
  // has none, no AWS page says the KMS request SNS makes for a CloudWatch publish carries those
  // keys, and a condition the request does not carry drops every notification silently (the
  // EventBridge case, which that page documents). The confused-deputy conditions sit on the topic
  // policy (allowCloudWatchAlarms), the only way CloudWatch reaches this grant.
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
  allowCloudWatchAlarms(topic);
  alarmEmails.forEach(email => topic.addSubscription(new subscriptions.EmailSubscription(email)));
  return { topic, key };
}

/**
 * Lets this account's CloudWatch alarms publish to `topic`. `enforceSSL` writes an
 * AWS::SNS::TopicPolicy, which replaces the default policy SNS gives a new topic, so without this
 * statement CloudWatch's Publish is denied and no alarm reaches anyone: the alarm history then
 * shows "... is not authorized to perform: SNS:Publish" (AWS knowledge center,
 * https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger, whose statement
 * this is, with its ArnLike aws:SourceArn condition widened to every alarm of this account and
 * region). aws:SourceAccount and aws:SourceArn keep another account's alarms (a confused deputy)
 * out: https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
 * ("aws:SourceAccount versus aws:SourceOwner"),
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html. The TLS Deny of
 * `enforceSSL` stays in the same policy (an explicit Deny wins over this Allow).
 */
function allowCloudWatchAlarms(topic: sns.Topic): void {
  const stack = Stack.of(topic);
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
      StringEquals: { 'aws:SourceAccount': stack.account },
    },
  }));
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
