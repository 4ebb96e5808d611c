import { CfnResource, SecretValue, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from '../private/nag';
import { validateInteger, validatePattern } from '../private/validate';

/**
 * Binds an IAM role to a Kubernetes service account through EKS Pod Identity.
 * `ScopeCluster` is one; any construct with this method will do.
 */
export interface IServiceAccountRoleProvider {
  /**
   * A role that pods running as service account `name` in `namespace` assume, without keys.
   */
  serviceAccountRole(namespace: string, name: string): iam.IRole;
}

/** IAM user names: 1 to 64 characters of letters, digits and `_+=,.@-`. */
const IAM_USER_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;

/** Props of ServiceUser. */
export interface ServiceUserProps {
  /**
   * Physical name of the IAM user (1 to 64 characters of letters, digits and `_+=,.@-`).
   */
  readonly userName: string;

  /**
   * Name of the prop `userName` came from, used in error messages.
   * @default 'userName'
   */
  readonly userNameProp?: string;

  /**
   * Create an access key for the user and store it in a Secrets Manager secret.
   * @default true
   */
  readonly createAccessKey?: boolean;

  /**
   * Serial number of the access key; bump it to rotate the key (CloudFormation replaces the key).
   * A whole number of at least 0; it may only ever grow.
   * @default 0
   */
  readonly keySerial?: number;

  /**
   * Non-secret values stored next to the key in the secret (e.g. `table`, `bucket`, `queuePrefix`).
   * `region` is always added.
   * @default - only the key and the region
   */
  readonly secretFields?: { [key: string]: string };

  /**
   * A keyless role for the same service (e.g. a Pod Identity role); grants should go to it too.
   * @default - no role
   */
  readonly role?: iam.IRole;

  /**
   * Customer managed KMS key for the secret.
   * @default - the AWS managed key aws/secretsmanager
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * One service's identity: an IAM user whose only permissions come from its own group, optionally
 * an access key kept in a Secrets Manager secret as JSON (`accessKeyId`, `secretAccessKey`,
 * `region` and the `secretFields`), and optionally a keyless role for the same service.
 * Grant the service's rights to `grantees` (the group, and the role when there is one).
 */
export class ServiceUser extends Construct {
  /** The IAM user; it has no policy of its own and belongs to `group` only. */
  public readonly user: iam.User;
  /** The group holding the user's permissions. */
  public readonly group: iam.Group;
  /** The user's access key. Undefined when `createAccessKey` is false. */
  public readonly accessKey?: iam.AccessKey;
  /** The secret holding the access key as JSON. Undefined when `createAccessKey` is false. */
  public readonly secret?: secretsmanager.ISecret;
  /** The keyless role for the same service, when one was given. */
  public readonly role?: iam.IRole;

  constructor(scope: Construct, id: string, props: ServiceUserProps) {
    super(scope, id);
    validatePattern(props.userNameProp ?? 'userName', props.userName, IAM_USER_NAME_PATTERN,
      'IAM user names are 1 to 64 characters of letters, digits and _+=,.@-');
    validateInteger('keySerial', props.keySerial, 0);

    this.group = new iam.Group(this, 'Group');
    this.user = new iam.User(this, 'User', { userName: props.userName, groups: [this.group] });
    this.role = props.role;

    if (props.createAccessKey ?? true) {
      this.accessKey = new iam.AccessKey(this, 'AccessKey', { user: this.user, serial: props.keySerial ?? 0 });
      const fields: { [key: string]: SecretValue } = {
        accessKeyId: SecretValue.unsafePlainText(this.accessKey.accessKeyId),
        secretAccessKey: this.accessKey.secretAccessKey,
        region: SecretValue.unsafePlainText(Stack.of(this).region),
      };
      for (const [key, value] of Object.entries(props.secretFields ?? {})) {
        fields[key] = SecretValue.unsafePlainText(value);
      }
      this.secret = new secretsmanager.Secret(this, 'Secret', {
        description: `Access key of IAM user ${props.userName} as JSON: ${Object.keys(fields).join(', ')}`,
        secretObjectValue: fields,
        encryptionKey: props.encryptionKey,
      });
      acknowledge(this.secret.node.defaultChild as CfnResource, {
        id: 'AwsSolutions-SMG4',
        reason: 'Holds an IAM access key, which Secrets Manager cannot rotate without a custom rotation Lambda holding iam:CreateAccessKey. '
          + 'The key is rotated through CloudFormation instead: bumping keySerial creates a new key, rewrites this secret and deletes the '
          + 'old key in one deployment. The secret is KMS-encrypted and the key never appears in templates or outputs.',
      });
    }
  }

  /** Who the service's rights go to: the group, plus the keyless role when there is one. */
  public get grantees(): iam.IGrantable[] {
    return this.role ? [this.group, this.role] : [this.group];
  }
}
