/**
 * The bootstrap custom resource: its function (in the VPC, with its own security group and log
 * group), the function's access to the secrets and the export log group, the provider and the
 * resource itself. Every construct is created in the scope given (the UsersDatabase), under the
 * ids it always had.
 */
import { ArnFormat, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { BootstrapFunction } from './bootstrap-function';
import { CLIENT_CA_BUNDLE_PATH, DatabaseSettings } from './defaults';
import { PROTECTION_QUERY_INTERVAL, PROTECTION_TOTAL_TIMEOUT } from './deletion-protection';
import { UsersDatabaseInstance } from './instance';
import { acknowledgeBootstrapFindings, acknowledgeExportLogGroupPolicy } from './nag';
import { TLS_PORT } from '../private/ports';

/** What the bootstrap works on. */
export interface BootstrapTarget {
  readonly instance: UsersDatabaseInstance;
  /** The instance's security group. */
  readonly securityGroup: ec2.SecurityGroup;
  /** The generated master secret itself (not its target attachment); undefined when RDS manages it. */
  readonly masterSecret?: secretsmanager.ISecret;
  /** ARN of the master secret RDS manages (`Fn::GetAtt MasterUserSecret.SecretArn`), if it does. */
  readonly managedSecretArn?: string;
  readonly appSecret: secretsmanager.ISecret;
}

/** What `createBootstrap` made. */
export interface CreatedBootstrap {
  readonly fn: BootstrapFunction;
  readonly provider: cr.Provider;
  readonly resource: CustomResource;
}

/** Creates the bootstrap in `scope`, in the order its resources always had. */
export function createBootstrap(scope: Construct, settings: DatabaseSettings, target: BootstrapTarget): CreatedBootstrap {
  const { fn, securityGroup, logGroup } = createBootstrapFunction(scope, settings);
  const ingress = admitToInstance(target, fn);
  grantSecretAccess(fn, target, settings.encryptionKey);
  const masterSecretPolicy = target.managedSecretArn ? managedSecretAccess(scope, fn, target.managedSecretArn) : undefined;
  const exportLogGroup = settings.logExports ? exportLogGroupAccess(scope, fn, target.instance) : undefined;

  // Provider framework. With the deletion protection step, the handler is the isComplete handler
  // too (the framework polls it until the step's targets are protected or PROTECTION_TOTAL_TIMEOUT
  // has passed; bootstrap.lambda.ts); without it, onEvent only.
  // The framework functions run in the VPC too (AWS Control Tower CT.LAMBDA.PR.3); they call the
  // Lambda and Step Functions APIs and CloudFormation's response URL over HTTPS, which the security group allows.
  const provider = new cr.Provider(scope, 'BootstrapProvider', {
    onEventHandler: fn,
    ...(settings.deletionProtection
      ? { isCompleteHandler: fn, totalTimeout: PROTECTION_TOTAL_TIMEOUT, queryInterval: PROTECTION_QUERY_INTERVAL }
      : {}),
    logGroup,
    vpc: settings.vpc,
    vpcSubnets: settings.vpcSubnets,
    securityGroups: [securityGroup],
  });
  acknowledgeBootstrapFindings(fn, provider);
  const resource = new CustomResource(scope, 'Bootstrap', {
    serviceToken: provider.serviceToken,
    resourceType: 'Custom::UsersDatabaseBootstrap',
    properties: {
      Host: target.instance.dbInstanceEndpointAddress,
      Port: target.instance.dbInstanceEndpointPort,
      MasterSecretArn: target.managedSecretArn ?? target.instance.secret!.secretArn,
      AppSecretArn: target.appSecret.secretArn,
      DatabaseName: settings.databaseName,
      AppUsername: settings.appUsername,
      // Only when set, so that a library upgrade does not re-run every existing bootstrap.
      ...(settings.bootstrapSerial ? { BootstrapSerial: settings.bootstrapSerial } : {}),
      // New in this release: also makes existing environments re-run the bootstrap once, which adds urlVerifyFull to the secret.
      ClientCaBundle: CLIENT_CA_BUNDLE_PATH,
      ...(exportLogGroup ? {
        LogGroupName: exportLogGroup.name, LogRetentionDays: settings.logRetention, LogKmsKeyArn: settings.encryptionKey?.keyArn,
      } : {}),
    },
  });
  // The security group rules between function and instance are separate resources: create them first.
  resource.node.addDependency(target.securityGroup.node.defaultChild!, ...ingress, securityGroup);
  if (exportLogGroup) resource.node.addDependency(exportLogGroup.policy);
  if (masterSecretPolicy) resource.node.addDependency(masterSecretPolicy);
  return { fn, provider, resource };
}

/** The function `BootstrapFunction` with its security group `BootstrapSecurityGroup` and log group `BootstrapLogs`. */
function createBootstrapFunction(scope: Construct, settings: DatabaseSettings) {
  const securityGroup = new ec2.SecurityGroup(scope, 'BootstrapSecurityGroup', {
    vpc: settings.vpc,
    description: `Users database (${settings.envName}) bootstrap: PostgreSQL and HTTPS (Secrets Manager) out`,
    allowAllOutbound: false,
  });
  securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(TLS_PORT), 'Secrets Manager API');

  const logGroup = new logs.LogGroup(scope, 'BootstrapLogs', {
    retention: settings.logRetention,
    encryptionKey: settings.encryptionKey,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const fn = new BootstrapFunction(scope, 'BootstrapFunction', {
    description: `Users database (${settings.envName}): creates the application database and role`,
    vpc: settings.vpc,
    vpcSubnets: settings.vpcSubnets,
    securityGroups: [securityGroup],
    timeout: Duration.minutes(2),
    memorySize: 256,
    logGroup,
  });
  return { fn, securityGroup, logGroup };
}

/** Admits the function to PostgreSQL on the instance; returns the ingress rules that added. */
function admitToInstance(target: BootstrapTarget, fn: BootstrapFunction): IConstruct[] {
  const rulesBefore = new Set(target.securityGroup.node.children);
  target.instance.connections.allowDefaultPortFrom(fn, 'PostgreSQL from the bootstrap function');
  // Only the rule just added: the group's other rules (e.g. from the EKS cluster) must not make the bootstrap wait.
  return target.securityGroup.node.children.filter(child => !rulesBefore.has(child));
}

/** Lets the function read both secrets and write the application secret. */
function grantSecretAccess(fn: BootstrapFunction, target: BootstrapTarget, encryptionKey: kms.IKey | undefined): void {
  // Read both secrets. Two things keep the function off the database's creation path (only the
  // custom resource below needs the database):
  // - the grant names the master secret itself, not its target attachment (`secret`, same ARN),
  //   which exists only once the instance does;
  // - kms:Decrypt goes into the role's own policy, not the key policy: `Secret.grantRead` puts a
  //   kms:ViaService statement naming the role into the key policy, so the key, the database's
  //   secret and the database waited for the role, which waits for the NAT routes (VPC function).
  //   The key policy trusts the account, so the identity policy suffices.
  const secrets = [target.masterSecret, target.appSecret].filter((s): s is secretsmanager.ISecret => s !== undefined);
  for (const secret of secrets) {
    iam.Grant.addToPrincipal({ grantee: fn, actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resourceArns: [secret.secretArn] });
  }
  const viaSecretsManager = { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(fn).region}.amazonaws.com` } };
  // The secret RDS manages is under the same key (MasterUserSecret.KmsKeyId: instance.ts).
  const secretKeys = [...new Set(secrets.map(s => s.encryptionKey).filter((k): k is kms.IKey => k !== undefined)
    .concat(target.managedSecretArn && encryptionKey ? [encryptionKey] : []))];
  if (secretKeys.length > 0) {
    iam.Grant.addToPrincipal({ grantee: fn, actions: ['kms:Decrypt'], resourceArns: secretKeys.map(k => k.keyArn), conditions: viaSecretsManager });
  }
  iam.Grant.addToPrincipal({ grantee: fn, actions: ['secretsmanager:PutSecretValue'], resourceArns: [target.appSecret.secretArn] });
  // PutSecretValue on a secret with a customer managed key needs a data key from it, made by
  // Secrets Manager on the function's behalf: only through Secrets Manager, as kms:Decrypt.
  // (In the role's own policy, as kms:Decrypt: the key policy trusts the account.)
  if (encryptionKey) {
    iam.Grant.addToPrincipal({ grantee: fn, actions: ['kms:GenerateDataKey'], resourceArns: [encryptionKey.keyArn], conditions: viaSecretsManager });
  }
}

/**
 * The policy `BootstrapMasterSecretPolicy`: read the master secret RDS manages, which exists only
 * once the instance does (its ARN is an attribute of the instance). A policy of its own that only
 * the custom resource waits for, like the export log group's: in the function's default policy it
 * would make the function wait for the database.
 */
function managedSecretAccess(scope: Construct, fn: BootstrapFunction, secretArn: string): iam.Policy {
  return new iam.Policy(scope, 'BootstrapMasterSecretPolicy', {
    roles: [fn.role!],
    statements: [new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [secretArn] })],
  });
}

/**
 * The log group RDS exports the PostgreSQL logs to, and the policy `BootstrapLogGroupPolicy` that
 * lets the function create or adopt it: RDS creates it without retention; the bootstrap creates
 * or adopts it with retention and key.
 */
function exportLogGroupAccess(scope: Construct, fn: BootstrapFunction, instance: UsersDatabaseInstance) {
  const name = `/aws/rds/instance/${instance.instanceIdentifier}/postgresql`;
  const arn = Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  // In a policy of its own that only the custom resource waits for: the log group's name contains
  // the instance identifier, and in the function's default policy it made the function (and its
  // VPC network interface) wait for the database's creation.
  const policy = new iam.Policy(scope, 'BootstrapLogGroupPolicy', {
    roles: [fn.role!],
    statements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:AssociateKmsKey'],
      resources: [arn, `${arn}:*`],
    })],
  });
  acknowledgeExportLogGroupPolicy(policy, fn, arn);
  return { name, policy };
}
