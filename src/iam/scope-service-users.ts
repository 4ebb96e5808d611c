import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { IServiceAccountRoleProvider, ServiceUser } from './service-user';
import { PropError, validateEnvName, validateInteger, validatePattern } from '../private/validate';
import { ControlQueues } from '../queue';
import { ReportStore } from '../storage';

/** Physical names of the three service users, to adopt existing names. */
export interface ServiceUserNames {
  /**
   * Name of the collection service's user (writes reports).
   * @default `<envName>_report_writer`
   */
  readonly writer?: string;

  /**
   * Name of the query service's user (reads reports).
   * @default `<envName>_report_reader`
   */
  readonly reader?: string;

  /**
   * Name of the control service's user (reads and writes the control queues).
   * @default `<envName>_sqs_readwriter`
   */
  readonly queue?: string;
}

/** Options of the service users (the old `iam <env> report_writer | report_reader | sqs_readwriter`). */
export interface ScopeServiceUsersOptions {
  /**
   * Physical IAM user names.
   * @default - `<envName>_report_writer`, `<envName>_report_reader`, `<envName>_sqs_readwriter`
   */
  readonly userNames?: ServiceUserNames;

  /**
   * Serial of the access keys. Bump it (it may only grow) to rotate all three keys: CloudFormation
   * creates new keys, rewrites the secrets, then deletes the old keys at the end of the deploy.
   * @default 0
   */
  readonly keySerial?: number;

  /**
   * Create an access key per user, stored in a Secrets Manager secret. Turn off for keyless setups.
   * @default true
   */
  readonly createAccessKeys?: boolean;

  /**
   * Also give each service a keyless EKS Pod Identity role with the same rights, bound to the
   * service accounts `collection`, `query` and `control` in `namespace`. Needs `cluster`.
   * @default false
   */
  readonly podIdentity?: boolean;

  /**
   * Kubernetes namespace of the service accounts (with `podIdentity`).
   * @default 'scope'
   */
  readonly namespace?: string;

  /**
   * Customer managed KMS key for the access-key secrets (changes them in place); whoever reads a
   * secret (e.g. `scope-credentials`) then also needs kms:Decrypt on it.
   * @default - the AWS managed key aws/secretsmanager
   */
  readonly encryptionKey?: kms.IKey;
}

/** Props of ScopeServiceUsers. */
export interface ScopeServiceUsersProps extends ScopeServiceUsersOptions {
  /**
   * Environment name; the default user names start with it.
   * @default - the report store's envName
   */
  readonly envName?: string;

  /** The report store the collection service writes to and the query service reads from. */
  readonly reports: ReportStore;

  /** The control queue namespace the control service reads and writes. */
  readonly queues: ControlQueues;

  /**
   * The cluster that binds Pod Identity roles to service accounts (e.g. a ScopeCluster); required with `podIdentity`.
   * @default - no Pod Identity roles
   */
  readonly cluster?: IServiceAccountRoleProvider;
}

/** IAM user names are unique per account, ignoring case: the three users need three names (given or default). */
function validateDistinctNames(given: ServiceUserNames, envName: string): void {
  const keys = ['writer', 'reader', 'queue'] as const;
  const defaults: ServiceUserNames = { writer: `${envName}_report_writer`, reader: `${envName}_report_reader`, queue: `${envName}_sqs_readwriter` };
  const names = keys.map(k => given[k] ?? defaults[k]!);
  if (names.some(n => Token.isUnresolved(n))) return;
  keys.forEach((b, j) => {
    const i = names.findIndex(n => n.toLowerCase() === names[j].toLowerCase());
    if (i < j) {
      const prop = given[b] !== undefined ? `userNames.${b}` : `userNames.${keys[i]}`;
      throw new PropError(`Invalid ${prop}: '${names[j]}' is the name of two of the users (userNames.${keys[i]} and userNames.${b}, given or `
        + 'default); IAM user names are unique per account, ignoring case.');
    }
  });
}

/** Kubernetes service account names of the three services (with `podIdentity`). */
const SERVICE_ACCOUNT_NAMES = { writer: 'collection', reader: 'query', queue: 'control' };

/**
 * The three role-scoped identities of a Scope environment, each an IAM user that gets its rights
 * only through its own group, with its access key in Secrets Manager (and optionally a keyless
 * Pod Identity role with the same rights):
 * - `reportWriter` (collection service): dynamodb:PutItem on the table, s3:PutObject on the bucket's objects;
 * - `reportReader` (query service): dynamodb:Query/GetItem/BatchGetItem on the table, s3:GetObject on the bucket's objects;
 * - `queueReadWriter` (control service): the control queue actions on `<queuePrefix>*` only.
 */
export class ScopeServiceUsers extends Construct {
  /** The collection service's identity (writes reports). */
  public readonly reportWriter: ServiceUser;
  /** The query service's identity (reads reports). */
  public readonly reportReader: ServiceUser;
  /** The control service's identity (reads and writes the control queues). */
  public readonly queueReadWriter: ServiceUser;
  /** Environment name these users belong to. */
  public readonly envName: string;
  /** Kubernetes namespace of the services' service accounts (with `podIdentity`). */
  public readonly namespace: string;
  /** Service accounts bound to the Pod Identity roles (`collection`, `query`, `control`); empty without `podIdentity`. */
  public readonly serviceAccounts: string[];

  constructor(scope: Construct, id: string, props: ScopeServiceUsersProps) {
    super(scope, id);
    validateEnvName(props.envName);
    validateInteger('keySerial', props.keySerial, 0);
    const namespace = props.namespace ?? 'scope';
    validatePattern('namespace', namespace, /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
      'Kubernetes namespaces are 1 to 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit');
    if (props.podIdentity && !props.cluster) {
      throw new PropError('Invalid podIdentity: podIdentity: true needs the cluster prop (e.g. a ScopeCluster) to bind the roles to service accounts.');
    }
    this.envName = props.envName ?? props.reports.envName;
    this.namespace = namespace;
    this.serviceAccounts = props.podIdentity ? Object.values(SERVICE_ACCOUNT_NAMES) : [];
    const { reports, queues } = props;
    validateDistinctNames(props.userNames ?? {}, this.envName);

    const make = (key: keyof ServiceUserNames, constructId: string, defaultName: string, secretFields: { [k: string]: string }) =>
      new ServiceUser(this, constructId, {
        userName: props.userNames?.[key] ?? `${this.envName}_${defaultName}`,
        userNameProp: props.userNames?.[key] === undefined ? 'envName' : `userNames.${key}`,
        createAccessKey: props.createAccessKeys,
        keySerial: props.keySerial,
        secretFields,
        encryptionKey: props.encryptionKey,
        role: props.podIdentity ? props.cluster?.serviceAccountRole(namespace, SERVICE_ACCOUNT_NAMES[key]) : undefined,
      });

    const storeFields = { table: reports.table.tableName, bucket: reports.bucket.bucketName };
    this.reportWriter = make('writer', 'ReportWriter', 'report_writer', storeFields);
    this.reportReader = make('reader', 'ReportReader', 'report_reader', storeFields);
    this.queueReadWriter = make('queue', 'QueueReadWriter', 'sqs_readwriter', { queuePrefix: queues.queuePrefix });

    this.reportWriter.grantees.forEach(g => reports.grantWrite(g));
    this.reportReader.grantees.forEach(g => reports.grantRead(g));
    this.queueReadWriter.grantees.forEach(g => queues.grantReadWrite(g));

    // Explicit Deny statements beside the reference policies (which stay as they are):
    const region = Stack.of(this).region;
    const storeServices = [`dynamodb.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`];
    [...this.reportWriter.grantees, ...this.reportReader.grantees].forEach(g => g.grantPrincipal.addToPrincipalPolicy(kmsOnlyVia(storeServices)));
    this.queueReadWriter.grantees.forEach(g => g.grantPrincipal.addToPrincipalPolicy(NO_QUEUE_PERMISSIONS()));
  }
}

/**
 * The report store's keys are used only by DynamoDB and S3 on the service's behalf: any KMS request
 * that does not come through one of `services` is denied (kms:ViaService, "AWS KMS condition keys",
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service;
 * StringNotEquals also matches a direct call, which carries no kms:ViaService).
 */
function kmsOnlyVia(services: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'KmsOnlyThroughTheReportStore',
    effect: iam.Effect.DENY,
    actions: ['kms:*'],
    resources: ['*'],
    conditions: { StringNotEquals: { 'kms:ViaService': services } },
  });
}

/**
 * The control service cannot open its queues to other principals with sqs:AddPermission (nor remove
 * grants). IAM has no condition key for the attributes of sqs:SetQueueAttributes (the SQS service
 * authorization reference lists only aws:RequestTag, aws:ResourceTag and aws:TagKeys,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html), so setting
 * a queue's `Policy` attribute cannot be denied apart from the other attributes (README).
 */
const NO_QUEUE_PERMISSIONS = () => new iam.PolicyStatement({
  sid: 'NoQueuePermissionChanges',
  effect: iam.Effect.DENY,
  actions: ['sqs:AddPermission', 'sqs:RemovePermission'],
  resources: ['*'],
});
