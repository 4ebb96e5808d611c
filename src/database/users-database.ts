import { CustomResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { createBootstrap } from './bootstrap-resource';
import { CLIENT_CA_BUNDLE_PATH, resolveDatabaseSettings } from './defaults';
import { createDeletionProtectionStep, leaveDeletionProtectionToStep } from './deletion-protection';
import { createInstance, instanceParts, managedMasterSecretArn } from './instance';
import { acknowledgeInstanceFindings } from './nag';
import { UsersDatabaseProps } from './options';
import { createAppSecret, retainWithInstance } from './secrets';
import { validateDatabaseProps } from './validate';

/**
 * The users service's PostgreSQL: an RDS instance in private subnets behind a security group
 * that admits only the peers passed to `allowFrom`, encrypted at rest, TLS enforced, automated
 * backups; master password generated into Secrets Manager. A bootstrap custom resource creates
 * the application database and role and puts a ready `postgres://` URL into `appSecret`.
 */
export class UsersDatabase extends Construct {
  /**
   * Where `urlVerifyFull` expects the RDS CA bundle in the client's file system (mount
   * https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem there, e.g. from a ConfigMap).
   */
  public static readonly CLIENT_CA_BUNDLE_PATH = CLIENT_CA_BUNDLE_PATH;

  /** The RDS instance. */
  public readonly instance: rds.IDatabaseInstance;
  /**
   * Master credentials (JSON: username, password; a generated secret also has host, port, engine, ...).
   * With HARDENED settings (a new instance) the secret RDS manages and rotates (ManageMasterUserPassword).
   */
  public readonly secret: secretsmanager.ISecret;
  /**
   * Application credentials (JSON: username, password, host, port, dbname, `url`, a
   * `postgres://user:password@host:port/<db>?sslmode=require` URL with the parts URL-encoded, and
   * `urlVerifyFull`, the same with `sslmode=verify-full&sslrootcert=<UsersDatabase.CLIENT_CA_BUNDLE_PATH>`; see README
   * "Database URLs and TLS"). Filled by the bootstrap during deployment.
   */
  public readonly appSecret: secretsmanager.ISecret;
  /** The instance's security group (ingress only from `allowFrom` peers and the bootstrap). */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** Network access to the instance; same as `instance.connections`. */
  public readonly connections: ec2.Connections;
  /** Address and port of the instance. */
  public readonly endpoint: rds.Endpoint;
  /** Name of the application database. */
  public readonly databaseName: string;
  /** Name of the application role. */
  public readonly appUsername: string;
  /** Environment name. */
  public readonly envName: string;
  /** The bootstrap custom resource; depend on it to use the database only once it exists. */
  public readonly bootstrap: CustomResource;
  /** The function behind the bootstrap custom resource (runs only during deployments). */
  public readonly bootstrapFunction: lambda.IFunction;
  /** The instance class and size the database runs on. */
  public readonly instanceType: ec2.InstanceType;
  /** Allocated storage in GiB. */
  public readonly allocatedStorage: number;
  /** CloudWatch Database Insights (Standard mode) is on for the instance. */
  public readonly databaseInsights: boolean;
  /**
   * The step that turns deletion protection on (only when `deletionProtection` is on). It runs
   * after the bootstrap; make it depend on the rest of the stack too (ScopeEnvironment does), so
   * that it runs last and a failed first deploy can still delete the unprotected instance.
   */
  public readonly deletionProtectionStep?: CustomResource;

  private readonly iamAuthentication: boolean;

  constructor(scope: Construct, id: string, props: UsersDatabaseProps) {
    super(scope, id);
    validateDatabaseProps(props);
    const settings = resolveDatabaseSettings(this, props);
    this.envName = settings.envName;
    this.databaseName = settings.databaseName;
    this.appUsername = settings.appUsername;
    this.iamAuthentication = settings.iamAuthentication;
    this.instanceType = settings.instanceType;
    this.allocatedStorage = settings.allocatedStorage;
    this.databaseInsights = settings.databaseInsights;

    const { instance, securityGroup, sourceProps } = createInstance(this, settings);
    const parts = instanceParts(instance);
    this.instance = instance;
    this.securityGroup = securityGroup;
    const managedSecretArn = settings.rdsManagedMasterPassword ? managedMasterSecretArn(instance) : undefined;
    this.secret = instance.secret ?? secretsmanager.Secret.fromSecretAttributes(this, 'MasterUserSecret', {
      secretCompleteArn: managedSecretArn, encryptionKey: settings.encryptionKey,
    });
    this.connections = instance.connections;
    this.endpoint = instance.instanceEndpoint;

    const appSecret = createAppSecret(this, settings);
    this.appSecret = appSecret;
    if (settings.retained) retainWithInstance(settings.removalPolicy, securityGroup, parts, appSecret);

    const bootstrap = createBootstrap(this, settings, { instance, securityGroup, masterSecret: parts.masterSecret, managedSecretArn, appSecret });
    this.bootstrapFunction = bootstrap.fn;
    this.bootstrap = bootstrap.resource;

    leaveDeletionProtectionToStep(instance, settings.deletionProtection);
    if (settings.deletionProtection) {
      this.deletionProtectionStep = createDeletionProtectionStep(this, {
        instance, provider: bootstrap.provider, fn: bootstrap.fn, bootstrap: bootstrap.resource,
      });
    }
    acknowledgeInstanceFindings(instance, parts, appSecret, sourceProps);
  }

  /**
   * Admit `peer` (e.g. the cluster, a security group) to PostgreSQL (TCP 5432) on the instance.
   * @param description description of the security group rule
   */
  public allowFrom(peer: ec2.IConnectable, description: string = 'PostgreSQL from an allowed peer'): void {
    this.connections.allowDefaultPortFrom(peer, description);
  }

  /**
   * Let `grantee` read the application secret (the `postgres://` URL and its parts): what a
   * service needs to connect with the application role's password. Network access is separate
   * (`allowFrom`).
   */
  public grantConnect(grantee: iam.IGrantable): iam.Grant {
    return this.appSecret.grantRead(grantee);
  }

  /**
   * Allow `grantee` rds-db:connect as `dbUser` with IAM authentication tokens. Only with
   * `iamAuthentication: true`; the PostgreSQL role must be granted `rds_iam` by hand, which
   * turns off password login for it (so not the application role).
   */
  public grantIamConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    if (!this.iamAuthentication) {
      throw new Error('grantIamConnect needs iamAuthentication: true on the UsersDatabase.');
    }
    return this.instance.grantConnect(grantee, dbUser);
  }
}
