import { RemovalPolicy } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';

/** How an extra public name reaches the frontend. */
export enum AliasType {
  /** A CNAME record to the frontend name (`frontend.<zone>`). Not allowed at a zone apex. */
  CNAME = 'CNAME',
  /** A (and, with `dualStack`, AAAA) alias records straight to the frontend load balancer. Needs `frontend`; allowed at a zone apex. */
  ALIAS = 'ALIAS',
}

/** An extra public name for the frontend, e.g. `scope.example.com`. */
export interface AliasRecordOptions {
  /**
   * Fully qualified name of the record, e.g. `scope.example.com` (a trailing dot is allowed, so is a
   * leading `*.` label). It must lie inside `zone`.
   */
  readonly name: string;

  /**
   * The zone the record is written into (same account as this stack). Import it with
   * `HostedZone.fromHostedZoneAttributes()` or `fromLookup()` so its name is known.
   * @default - this environment's zone
   */
  readonly zone?: route53.IHostedZone;

  /**
   * Record type.
   * @default AliasType.CNAME
   */
  readonly type?: AliasType;
}

/** Delegation of the environment zone from a parent zone in another AWS account. */
export interface CrossAccountDelegationOptions {
  /** Name of the parent zone in the other account, e.g. `example.com`. */
  readonly parentZoneName: string;

  /**
   * ARN of a role in the parent zone's account that this account may assume and that may
   * write NS records into the parent zone (see `HostedZone.grantDelegation()`).
   */
  readonly delegationRoleArn: string;
}

/** Options of the environment's DNS (the old `r53 up` plus the manual steps around it). */
export interface EnvironmentDnsOptions {
  /** Name of the environment's public zone, e.g. `prod.example.com`. */
  readonly zoneName: string;

  /**
   * Use this existing public zone instead of creating one. Its name must be `zoneName`; import it
   * with `HostedZone.fromHostedZoneAttributes()` or `fromLookup()`. Delegation, `dnssec`,
   * `queryLogging` and `removalPolicy` apply only to a zone created here.
   * @default - a new public hosted zone
   */
  readonly zone?: route53.IHostedZone;

  /**
   * Name of the frontend record, relative to the zone (`frontend` gives `frontend.<zoneName>`).
   * @default 'frontend'
   */
  readonly frontendRecordName?: string;

  /**
   * Extra public names for the frontend, e.g. `{ name: 'scope.example.com', zone: parentZone }`.
   * @default - none
   */
  readonly aliases?: AliasRecordOptions[];

  /**
   * Parent zone in this account: an NS record for `zoneName` is written into it.
   * Not together with `delegation`.
   * @default - no delegation in this account
   */
  readonly parentZone?: route53.IHostedZone;

  /**
   * Parent zone in another account: the NS record is written through a role there
   * (`CrossAccountZoneDelegationRecord`). Not together with `parentZone`.
   * @default - no cross-account delegation; without `parentZone` either, the name servers are a
   * stack output to copy to the parent domain's DNS provider
   */
  readonly delegation?: CrossAccountDelegationOptions;

  /**
   * Request an ACM certificate for the frontend name and the alias names, validated through DNS.
   * The deployment waits until the zone is delegated (see the synth warning). In ScopeEnvironment
   * the frontend load balancer serves HTTPS on port 443 with it (port 80 stays unless
   * `cluster.frontend.ports` leaves it out) and `FrontendUrl` is `https://frontend.<zone>/`.
   * @default false
   */
  readonly certificate?: boolean;

  /**
   * Sign the zone with DNSSEC (a KMS key, a key signing key, signing enabled). The stack must be
   * in us-east-1 (where Route 53 requires the key); the DS record in the parent is added by hand.
   * @default false
   */
  readonly dnssec?: boolean;

  /**
   * Log DNS queries to a CloudWatch log group. The stack must be in us-east-1 (where Route 53
   * writes query logs); adds a CloudWatch Logs resource policy (at most 10 per account and region).
   * @default false
   */
  readonly queryLogging?: boolean;

  /**
   * Retention of the query logs; only with `queryLogging`.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly queryLogRetention?: logs.RetentionDays;

  /**
   * Let Route 53 check the load balancer's health when answering for alias records.
   * @default true
   */
  readonly evaluateTargetHealth?: boolean;

  /**
   * The frontend load balancer is dual-stack: also write AAAA alias records. Only for a load
   * balancer with IPv6 addresses; the ScopeCluster frontend is IPv4 only, so synth refuses it there.
   * @default false
   */
  readonly dualStack?: boolean;

  /**
   * What happens to the zone (and its query log group and DNSSEC key) when it leaves the stack.
   * RETAIN_ON_UPDATE_OR_DELETE keeps them except when the deploy that created them rolls back.
   * A zone deleted and created again gets new name servers (update the delegation).
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE (the DEVELOPMENT profile of ScopeEnvironment passes DESTROY)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Properties of EnvironmentDns: its options plus the frontend endpoint of the cluster. */
export interface EnvironmentDnsProps extends EnvironmentDnsOptions {
  /**
   * The frontend load balancer (ScopeCluster's frontend endpoint) the frontend record aliases.
   * @default - no frontend record
   */
  readonly frontend?: elbv2.ILoadBalancerV2;
}
