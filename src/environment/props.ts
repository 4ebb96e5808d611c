/**
 * The props of ScopeEnvironment (public API). Every prop not given is resolved in `resolve.ts` from the
 * profile table (`src/profile/profile.ts`); cross-part rules are checked in `validate.ts`.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ScopeClusterOptions } from '../cluster';
import { UsersDatabaseOptions } from '../database';
import { EnvironmentDnsOptions } from '../dns';
import { EnvironmentKey } from '../encryption';
import { GitOpsOptions } from '../gitops';
import { ScopeServiceUsersOptions } from '../iam';
import { EnvironmentMonitoringOptions } from '../monitoring';
import { EnvironmentProfile } from '../profile';
import { ControlQueuesOptions } from '../queue';
import { ReportStoreOptions } from '../storage';

/** Props of ScopeEnvironment. Every option not given comes from the profile (see README "Profiles"). */
export interface ScopeEnvironmentProps {
  /**
   * What the environment is for; picks every default.
   * @default EnvironmentProfile.DEVELOPMENT
   */
  readonly profile?: EnvironmentProfile;

  /**
   * Environment name, used in user names, the queue prefix, tags and descriptions.
   * Lower case, starts with a letter, `[a-z][a-z0-9-]{0,19}`.
   * @default - the construct id
   */
  readonly envName?: string;

  /**
   * VPC to run in (private subnets with egress and public subnets).
   * @default - a new VPC: 2 AZs and 1 NAT gateway (DEVELOPMENT), 3 AZs and a NAT gateway per AZ (PRODUCTION)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Availability Zone names of the VPC this construct creates (one public and one private subnet
   * in each), e.g. `['eu-west-1a', 'eu-west-1b']`; not allowed together with `vpc`. Synthesis
   * never looks AZs up, so it needs no AWS credentials.
   * @default - the AZs in the app's context (cdk.context.json) from an earlier lookup if present,
   * otherwise the first 2 (DEVELOPMENT) or 3 (PRODUCTION) AZs CloudFormation lists for the account
   * at deploy time (`Fn::GetAZs`)
   */
  readonly availabilityZones?: string[];

  /**
   * VPC flow logs (all traffic, to a CloudWatch log group kept one year) on the VPC this construct
   * creates; not allowed together with `vpc`.
   * @default - on in PRODUCTION, off in DEVELOPMENT
   */
  readonly vpcFlowLogs?: boolean;

  /**
   * The key that encrypts the environment's data at rest: the reports table and bucket (with S3
   * Bucket Keys), pre-created queues, the log groups the library creates, the database's and the
   * service users' secrets and, for a new database (`database.createOnlySettings: HARDENED`), its
   * storage. Switching keys changes all of these in place; an existing database's storage key never changes.
   * @default - EnvironmentKey.create() in PRODUCTION, EnvironmentKey.awsManaged() in DEVELOPMENT
   */
  readonly encryptionKey?: EnvironmentKey;

  /**
   * S3 server access logs of the reports bucket, and access logs of the frontend load balancer
   * (prefix `<envName>-frontend`, TLS connections only), into an access-log bucket of the environment
   * (SSE-S3, logs kept one year). Ignored for the reports if `reports.serverAccessLogsBucket` is given,
   * for the load balancer if `cluster.frontend.accessLogsBucket` is.
   * @default - on in PRODUCTION, off in DEVELOPMENT
   */
  readonly accessLogs?: boolean;

  /**
   * The Kubernetes cluster.
   * @default - profile defaults (2 nodes in DEVELOPMENT, 3 in PRODUCTION)
   */
  readonly cluster?: ScopeClusterOptions;

  /**
   * The PostgreSQL users database.
   * @default - profile defaults
   */
  readonly database?: UsersDatabaseOptions;

  /**
   * The reports table and bucket.
   * @default - profile defaults
   */
  readonly reports?: ReportStoreOptions;

  /**
   * The control queue namespace.
   * @default - prefix `<envName>_control_`, no pre-created queues
   */
  readonly queues?: ControlQueuesOptions;

  /**
   * The role-scoped service users.
   * @default - three users with access keys in Secrets Manager, no Pod Identity roles
   */
  readonly users?: ScopeServiceUsersOptions;

  /**
   * DNS: a public zone for the environment with the `frontend` alias.
   * @default - no zone
   */
  readonly domain?: EnvironmentDnsOptions;

  /**
   * Monitoring: encrypted alarm topic, alarms on every part, dashboard `<envName>-scope`, and
   * Container Insights. Pass `{ enabled: false }` for none.
   * @default - on: alarms notify the topic (no subscription), Container Insights in PRODUCTION only
   */
  readonly monitoring?: EnvironmentMonitoringOptions;

  /**
   * GitOps: install Flux in the cluster and sync the application from one path of one branch of
   * its git repository (see README "Deploying the app"). Not allowed with `cluster.helloWorld`:
   * the application from git provides the `frontend` Service.
   * @default - off: nothing is deployed from git
   */
  readonly gitOps?: GitOpsOptions;

  /**
   * Create the ConfigMap `scope-environment` (table, bucket, queue prefix, region, database
   * endpoint, secret ARNs) in the application's namespace (`users.namespace`, default `scope`), and
   * with `users.podIdentity` the service accounts `collection`, `query` and `control`, so the
   * application's manifests reference them instead of copying values.
   * @default - on when `gitOps` is given, off otherwise
   */
  readonly environmentConfig?: boolean;

  /**
   * Extra tags on every resource (beside `scope:environment=<envName>`).
   * @default - none
   */
  readonly tags?: { [key: string]: string };

  /**
   * Export every output under the name `scope-<envName>-<Key>` (e.g. `scope-dev-FrontendUrl`) for
   * `Fn.importValue` in other stacks. An exported value cannot change while another stack imports it.
   * @default false
   */
  readonly exportOutputs?: boolean;
}
