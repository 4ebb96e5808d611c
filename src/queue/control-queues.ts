import { CfnResource, Duration, Stack, ArnFormat, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeGrant } from '../private/grant-nag';
import { acknowledge, nagValue } from '../private/nag';
import { defaultEnvName, PropError, validateEnvName, validateInteger, validatePattern } from '../private/validate';

/** Options of the control queue namespace (the old `sqs up`, which created nothing). */
export interface ControlQueuesOptions {
  /**
   * Name prefix of every control queue; the control service creates `<prefix><name>` queues at run time.
   * @default `<envName>_control_`
   */
  readonly queuePrefix?: string;

  /**
   * Queues to create ahead of time, as names under the prefix (e.g. `['events']` makes
   * `<prefix>events` plus its dead-letter queue `<prefix>events_dlq`).
   * @default - none: the control service creates its queues itself
   */
  readonly queues?: string[];

  /**
   * How often a message may be received before it moves to the dead-letter queue (pre-created queues).
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * Also allow sqs:DeleteQueue under the prefix.
   * @default false
   */
  readonly allowDeleteQueue?: boolean;

  /**
   * Customer managed KMS key for the pre-created queues (changes them in place); the control
   * service then also gets kms:GenerateDataKey and kms:Decrypt on it. Queues the control service
   * creates itself get whatever it asks for (SQS managed encryption unless it sets a key).
   * @default - SQS managed encryption (SSE-SQS)
   */
  readonly encryptionKey?: kms.IKey;
}

/** Props of ControlQueues. */
export interface ControlQueuesProps extends ControlQueuesOptions {
  /**
   * Environment name; the default prefix is `<envName>_control_`.
   * @default - derived from the stack name
   */
  readonly envName?: string;
}

/** The SQS actions the control service needs on its own queues (DeleteQueue only when allowed). */
export const CONTROL_QUEUE_ACTIONS = [
  'sqs:CreateQueue',
  'sqs:GetQueueUrl',
  'sqs:GetQueueAttributes',
  'sqs:SetQueueAttributes',
  'sqs:SendMessage',
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibility',
];

/** Each pre-created queue comes with `<name>_dlq`: names must differ from each other and from those. */
function validateQueueNames(names: string[]): void {
  const taken = new Map<string, string>();
  names.forEach((name, i) => {
    if (Token.isUnresolved(name)) return;
    for (const [key, what] of [[name, `queues[${i}]`], [`${name}_dlq`, `the dead-letter queue of queues[${i}]`], [`${name}Dlq`, `queues[${i}]`]]) {
      const other = taken.get(key);
      if (other) throw new PropError(`Invalid queues[${i}] '${name}': it collides with ${other} (each queue also gets <name>_dlq).`);
      taken.set(key, what);
    }
  });
}

/**
 * The control queue namespace: owns the queue name prefix, its ARN pattern and the rights on it.
 * Optionally pre-creates queues (SSE, dead-letter queue, TLS-only policy).
 */
export class ControlQueues extends Construct {
  /** Name prefix of the control queues. */
  public readonly queuePrefix: string;
  /** `arn:<partition>:sqs:<region>:<account>:<prefix>*`: every queue under the prefix. */
  public readonly queueArnPattern: string;
  /** Queues created ahead of time (empty unless `queues` was given). */
  public readonly queues: sqs.IQueue[];
  /** Environment name this namespace belongs to. */
  public readonly envName: string;
  private readonly allowDeleteQueue: boolean;
  private readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: ControlQueuesProps = {}) {
    super(scope, id);
    validateEnvName(props.envName);
    this.envName = props.envName ?? defaultEnvName(Stack.of(this).stackName);
    this.queuePrefix = props.queuePrefix ?? `${this.envName}_control_`;
    this.allowDeleteQueue = props.allowDeleteQueue ?? false;
    this.encryptionKey = props.encryptionKey;
    validatePattern('queuePrefix', this.queuePrefix, /^[A-Za-z0-9_-]{1,70}$/,
      'SQS queue names use only A-Z, a-z, 0-9, _ and -; the prefix may be 1 to 70 characters so that queue names stay within 80');
    validateInteger('maxReceiveCount', props.maxReceiveCount, 1, 1000);

    this.queueArnPattern = Stack.of(this).formatArn({
      service: 'sqs',
      resource: `${this.queuePrefix}*`,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
    validateQueueNames(props.queues ?? []);
    this.queues = (props.queues ?? []).map((name, i) => this.createQueue(name, i, props.maxReceiveCount ?? 5));
  }

  /** Control service rights: CONTROL_QUEUE_ACTIONS on `queueArnPattern` only (plus sqs:DeleteQueue when allowed). */
  public grantReadWrite(grantee: iam.IGrantable): iam.Grant {
    const actions = this.allowDeleteQueue ? [...CONTROL_QUEUE_ACTIONS, 'sqs:DeleteQueue'] : CONTROL_QUEUE_ACTIONS;
    const grant = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.queueArnPattern] });
    if (this.encryptionKey && this.queues.length > 0) {
      // Sending to and receiving from a queue encrypted with a customer managed key (SQS developer guide, "Key management").
      this.encryptionKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
    }
    // cdk-nag IAM5: the name-prefix wildcard is the design (the control service creates its queues at run time).
    acknowledgeGrant(grantee, policy => [`Resource::${nagValue(policy, this.queueArnPattern)}`],
      'The control service creates its queues at run time under the queue name prefix (queuePrefix), so its rights are on '
      + '<prefix>* in this account and region only: the listed SQS actions (no sqs:*, DeleteQueue only with allowDeleteQueue) '
      + 'on queues of this environment, none on any other queue.');
    return grant;
  }

  private createQueue(name: string, index: number, maxReceiveCount: number): sqs.Queue {
    validatePattern(`queues[${index}]`, name, /^[A-Za-z0-9_-]+$/, 'queue names use only A-Z, a-z, 0-9, _ and -');
    const queueName = `${this.queuePrefix}${name}`;
    if (queueName.length + '_dlq'.length > 80) {
      throw new PropError(`Invalid queues[${index}] '${name}': '${queueName}_dlq' is longer than the 80 characters SQS allows.`);
    }
    const common: sqs.QueueProps = this.encryptionKey
      ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: this.encryptionKey, enforceSSL: true }
      : { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true };
    const deadLetterQueue = new sqs.Queue(this, `${name}Dlq`, { ...common, queueName: `${queueName}_dlq`, retentionPeriod: Duration.days(14) });
    acknowledge(deadLetterQueue.node.defaultChild as CfnResource, {
      id: 'AwsSolutions-SQS3',
      reason: 'Dead-letter queue of a pre-created control queue (<queue>_dlq, 14 days retention): a dead-letter queue has no dead-letter queue of its own.',
    });
    return new sqs.Queue(this, name, { ...common, queueName, deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount } });
  }
}
