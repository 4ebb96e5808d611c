import * as path from 'path';
import {
  Annotations, CfnOutput, CfnResource, CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, Duration, Fn, RemovalPolicy,
  Stack, Token,
} from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { isInZone, stripDot, validateDomainName, validateRelativeName } from './names';
import { acknowledge } from '../private/nag';
import { PropError, validatePattern } from '../private/validate';

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

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/**
 * The environment's public zone, the `frontend.<zone>` alias to the frontend load balancer, extra
 * public names, and the delegation from the parent domain, all without hand edits.
 */
export class EnvironmentDns extends Construct {
  /** The environment's hosted zone. */
  public readonly zone: route53.IHostedZone;
  /** Name of the zone, without trailing dot. */
  public readonly zoneName: string;
  /** Full name of the frontend record, e.g. `frontend.prod.example.com`. */
  public readonly frontendName: string;
  /** The A alias record of the frontend; undefined without `frontend`. */
  public readonly frontendRecord?: route53.ARecord;
  /** The AAAA alias record of the frontend; only with `frontend` and `dualStack`. */
  public readonly frontendAaaaRecord?: route53.AaaaRecord;
  /** The frontend certificate; only with `certificate`. */
  public readonly certificate?: acm.ICertificate;
  /** Name servers of the zone (a token list); undefined for an imported zone that does not know them. */
  public readonly nameServers?: string[];
  /** The output with the name servers, made when the zone is delegated by hand (neither parentZone nor delegation). */
  public readonly nameServersOutput?: CfnOutput;
  /** The query log group; only with `queryLogging`. */
  public readonly queryLogGroup?: logs.ILogGroup;
  /** The KMS key that signs the zone; only with `dnssec`. */
  public readonly dnssecKey?: kms.IKey;
  /** The zone's key signing key; only with `dnssec`. */
  public readonly keySigningKey?: route53.IKeySigningKey;

  constructor(scope: Construct, id: string, props: EnvironmentDnsProps) {
    super(scope, id);

    validateDomainName('zoneName', props.zoneName);
    this.zoneName = Token.isUnresolved(props.zoneName) ? props.zoneName : stripDot(props.zoneName);
    const recordName = props.frontendRecordName ?? 'frontend';
    validateRelativeName('frontendRecordName', recordName, this.zoneName);
    this.frontendName = `${recordName}.${this.zoneName}`;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;

    this.validateZoneProps(props);
    const aliases = this.validateAliases(props);

    // ---- zone --------------------------------------------------------------------------------
    if (props.zone) {
      this.zone = props.zone;
      this.nameServers = props.zone.hostedZoneNameServers;
    } else {
      const queryLogGroup = props.queryLogging ? this.queryLogs(props.queryLogRetention, removalPolicy) : undefined;
      // The id 'Zone' is the zone's logical id: never change it.
      const zone = new route53.PublicHostedZone(this, 'Zone', {
        zoneName: this.zoneName,
        queryLogsLogGroupArn: queryLogGroup?.logGroupArn,
      });
      zone.applyRemovalPolicy(removalPolicy);
      if (queryLogGroup) {
        // Route 53 checks the log group's resource policy (a child of the log group) when logging is configured.
        zone.node.addDependency(queryLogGroup);
        this.queryLogGroup = queryLogGroup;
      }
      this.zone = zone;
      this.nameServers = zone.hostedZoneNameServers;
      if (props.dnssec) {
        this.dnssecKey = this.signingKey(removalPolicy);
        // enableDnssec adds the key policy for dnssec-route53.amazonaws.com, scoped to this zone.
        this.keySigningKey = zone.enableDnssec({ kmsKey: this.dnssecKey });
        // A signed zone must neither outlive its key nor lose its signatures while the parent still has its DS record.
        (this.keySigningKey.node.defaultChild as CfnResource).applyRemovalPolicy(removalPolicy);
        (zone.node.findChild('DNSSEC') as CfnResource).applyRemovalPolicy(removalPolicy);
      }
      this.nameServersOutput = this.delegate(props);
    }

    // ---- records -----------------------------------------------------------------------------
    const evaluateTargetHealth = props.evaluateTargetHealth ?? true;
    if (props.frontend) {
      const target = route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(props.frontend, { evaluateTargetHealth }));
      this.frontendRecord = new route53.ARecord(this, 'Frontend', { zone: this.zone, recordName: `${this.frontendName}.`, target });
      if (props.dualStack) {
        this.frontendAaaaRecord = new route53.AaaaRecord(this, 'FrontendAaaa', { zone: this.zone, recordName: `${this.frontendName}.`, target });
      }
    }
    for (const alias of aliases) {
      const recordProps = { zone: alias.zone ?? this.zone, recordName: `${alias.name}.` };
      if (alias.type === AliasType.CNAME) {
        new route53.CnameRecord(this, `Alias ${alias.name}`, { ...recordProps, domainName: this.frontendName });
      } else {
        const target = route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(props.frontend!, { evaluateTargetHealth }));
        new route53.ARecord(this, `Alias ${alias.name}`, { ...recordProps, target });
        if (props.dualStack) new route53.AaaaRecord(this, `AliasAaaa ${alias.name}`, { ...recordProps, target });
      }
    }

    // ---- certificate -------------------------------------------------------------------------
    if (props.certificate) {
      const zones: { [name: string]: route53.IHostedZone } = { [this.frontendName]: this.zone };
      for (const alias of aliases) zones[alias.name] = alias.zone ?? this.zone;
      const certificate = new acm.Certificate(this, 'Certificate', {
        domainName: this.frontendName,
        subjectAlternativeNames: aliases.length ? aliases.map(a => a.name) : undefined,
        validation: acm.CertificateValidation.fromDnsMultiZone(zones),
      });
      this.certificate = certificate;
      if (!props.zone && removalPolicy === RemovalPolicy.DESTROY) {
        this.removeValidationRecordsOnDelete(certificate, Object.keys(zones).filter(name => zones[name] === this.zone));
      }
      Annotations.of(this).addWarningV2('cdk-scope-environment:dnsCertificateValidation',
        `certificate: ACM validates the certificate for ${this.frontendName} through DNS records in ${this.zoneName}; `
        + 'the deployment waits (up to 72 hours, then fails) until the zone is delegated. With neither parentZone nor delegation, '
        + 'add the zone\'s NS records at the parent domain\'s DNS provider while the stack deploys (name servers: Route 53 console or `aws route53 get-hosted-zone`).');
    }
  }

  private validateZoneProps(props: EnvironmentDnsProps): void {
    if (props.zone) {
      const given = zoneNameOf(props.zone, 'zone');
      if (!Token.isUnresolved(given) && !Token.isUnresolved(this.zoneName) && given !== this.zoneName) {
        throw new PropError(`Invalid zone: its name '${given}' is not zoneName '${this.zoneName}'.`);
      }
      for (const prop of ['parentZone', 'delegation', 'dnssec', 'queryLogging'] as const) {
        if (props[prop]) {
          throw new PropError(`Invalid ${prop}: it applies only to a zone this construct creates; remove it or remove zone.`);
        }
      }
    }
    if (props.parentZone && props.delegation) {
      throw new PropError('Invalid parentZone and delegation: give at most one (parentZone for a parent zone in this account, delegation for one in another account).');
    }
    if (props.parentZone) {
      const parent = zoneNameOf(props.parentZone, 'parentZone');
      if (isInZone(this.zoneName, parent) === false || parent === this.zoneName) {
        throw new PropError(`Invalid parentZone '${parent}': zoneName '${this.zoneName}' must be a subdomain of it.`);
      }
    }
    if (props.delegation) {
      const { parentZoneName, delegationRoleArn } = props.delegation;
      if (!parentZoneName) throw new PropError('Invalid delegation.parentZoneName: required, the name of the parent zone in the other account.');
      validateDomainName('delegation.parentZoneName', parentZoneName);
      const parent = stripDot(parentZoneName);
      if (isInZone(this.zoneName, parent) === false || parent === this.zoneName) {
        throw new PropError(`Invalid delegation.parentZoneName '${parentZoneName}': zoneName '${this.zoneName}' must be a subdomain of it.`);
      }
      if (!delegationRoleArn) {
        throw new PropError('Invalid delegation.delegationRoleArn: required, the ARN of the role in the parent zone\'s account (arn:aws:iam::<account>:role/<name>).');
      }
      validatePattern('delegation.delegationRoleArn', delegationRoleArn, ROLE_ARN, 'must be an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>');
    }
    if (props.dualStack) {
      // AAAA records only answer if the load balancer has IPv6 addresses. One built in this app
      // tells (IpAddressType); an imported one is taken at its word.
      const cfn = props.frontend?.node.defaultChild as elbv2.CfnLoadBalancer | undefined;
      if (!props.frontend || (cfn instanceof elbv2.CfnLoadBalancer && cfn.ipAddressType !== 'dualstack')) {
        throw new PropError('Invalid dualStack: AAAA records need a dual-stack frontend load balancer (IpAddressType dualstack, in a VPC '
          + 'with IPv6 CIDRs), and ' + (props.frontend ? 'this one is IPv4 only (the ScopeCluster frontend is)' : 'there is no frontend')
          + '; remove dualStack.');
      }
    }
    if (props.queryLogRetention !== undefined && !props.queryLogging) {
      throw new PropError('Invalid queryLogRetention: it applies only with queryLogging: true.');
    }
    if (props.queryLogging) this.requireUsEast1('queryLogging', 'Route 53 writes query logs only to CloudWatch Logs in us-east-1', 'dnsQueryLoggingRegion');
    if (props.dnssec) this.requireUsEast1('dnssec', 'Route 53 uses DNSSEC signing keys only from KMS in us-east-1', 'dnsDnssecRegion');
  }

  /** The aliases with names normalized, zones and types filled in, after checking each. */
  private validateAliases(props: EnvironmentDnsProps): ResolvedAlias[] {
    const seen = new Set<string>([`${this.frontendName} ${this.zoneName}`]);
    return (props.aliases ?? []).map((alias, i) => {
      const prop = `aliases[${i}]`;
      if (!alias.name) throw new PropError(`Invalid ${prop}.name: required, a fully qualified name such as scope.example.com.`);
      validateDomainName(`${prop}.name`, alias.name, true);
      const name = Token.isUnresolved(alias.name) ? alias.name : stripDot(alias.name);
      const zoneName = alias.zone ? zoneNameOf(alias.zone, `${prop}.zone`) : this.zoneName;
      if (isInZone(name, zoneName) === false) {
        throw new PropError(`Invalid ${prop}.name '${alias.name}': it is outside the zone it is written into (${zoneName}); `
          + `use a name ending in .${zoneName}, or set ${prop}.zone to the zone that holds it.`);
      }
      const type = alias.type ?? AliasType.CNAME;
      if (type === AliasType.CNAME && name === zoneName) {
        throw new PropError(`Invalid ${prop}.type CNAME for '${alias.name}': a CNAME cannot be at a zone apex; use AliasType.ALIAS.`);
      }
      if (type === AliasType.ALIAS && !props.frontend) {
        throw new PropError(`Invalid ${prop}.type ALIAS for '${alias.name}': an alias record needs the frontend load balancer (frontend); use AliasType.CNAME.`);
      }
      const key = `${name} ${zoneName}`;
      if (seen.has(key)) throw new PropError(`Invalid ${prop}.name '${alias.name}': the name is already used by the frontend record or an earlier alias.`);
      seen.add(key);
      if (!props.frontend) {
        Annotations.of(this).addWarningV2('cdk-scope-environment:dnsAliasWithoutFrontend',
          `${prop}: ${name} is a CNAME to ${this.frontendName}, which this construct does not create without frontend.`);
      }
      return { name, type, zone: alias.zone };
    });
  }

  /** NS records for the zone in the parent (same or other account), or the name servers as an output. */
  /** Delegates the zone from its parent; without a parent, outputs the name servers (the output is returned). */
  private delegate(props: EnvironmentDnsProps): CfnOutput | undefined {
    const nameServers = this.zone.hostedZoneNameServers!;
    if (props.parentZone) {
      new route53.ZoneDelegationRecord(this, 'Delegation', {
        zone: props.parentZone,
        recordName: `${this.zoneName}.`,
        nameServers,
      });
    } else if (props.delegation) {
      new route53.CrossAccountZoneDelegationRecord(this, 'CrossAccountDelegation', {
        delegatedZone: this.zone,
        parentHostedZoneName: stripDot(props.delegation.parentZoneName),
        delegationRole: iam.Role.fromRoleArn(this, 'DelegationRole', props.delegation.delegationRoleArn),
      });
    } else {
      return new CfnOutput(this, 'NameServers', {
        value: Fn.join(',', nameServers),
        description: `Name servers of ${this.zoneName}: add them as NS records for ${this.zoneName} at the parent domain's DNS provider (e.g. CloudFlare).`,
      });
    }
    return undefined;
  }

  /** The asymmetric KMS key Route 53 requires for DNSSEC signing. */
  private signingKey(removalPolicy: RemovalPolicy): kms.Key {
    return new kms.Key(this, 'DnssecKey', {
      description: `DNSSEC key signing key of ${this.zoneName}`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy,
    });
  }

  /**
   * CloudFormation leaves ACM's validation CNAME records in the zone when it deletes the
   * certificate (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/837),
   * so deleting the zone would fail with HostedZoneNotEmpty. A custom resource between the zone and
   * the certificate deletes those records (and nothing else) after the certificate, on destroy and
   * on the rollback of a failed first deploy. One Lambda function per stack, only for a zone that
   * is deleted with the stack.
   */
  private removeValidationRecordsOnDelete(certificate: acm.Certificate, names: string[]): void {
    const provider = CustomResourceProvider.getOrCreateProvider(this, 'ScopeAcmValidationCleanup', {
      codeDirectory: path.join(__dirname, '..', '..', 'assets', 'dns', 'validation-cleanup'),
      runtime: CustomResourceProviderRuntime.NODEJS_22_X,
      description: 'Deletes ACM DNS validation records from a hosted zone before the zone is deleted',
      timeout: Duration.minutes(2),
    });
    const zone = this.zone as route53.PublicHostedZone;
    provider.addToRolePolicy({
      Effect: 'Allow',
      Action: ['route53:ListResourceRecordSets', 'route53:ChangeResourceRecordSets'],
      Resource: zone.hostedZoneArn,
    });
    const cleanup = new CustomResource(this, 'ValidationRecordCleanup', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::ScopeAcmValidationRecordCleanup',
      properties: { HostedZoneId: zone.hostedZoneId, RecordNames: names },
    });
    // Created after the zone (it references it) and before the certificate: deleted in between.
    certificate.node.addDependency(cleanup);
    acknowledge(provider, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The validation-record cleanup function of aws-cdk-lib\'s CustomResourceProvider writes its own logs with '
        + 'AWSLambdaBasicExecutionRole (logs:CreateLogGroup, CreateLogStream, PutLogEvents); it runs only during deployments.',
    });
  }

  private requireUsEast1(prop: string, reason: string, warningId: string): void {
    const region = Stack.of(this).region;
    if (Token.isUnresolved(region)) {
      Annotations.of(this).addWarningV2(`cdk-scope-environment:${warningId}`,
        `${prop}: ${reason}; this stack's region is unknown at synth time: deploy it to us-east-1.`);
    } else if (region !== 'us-east-1') {
      throw new PropError(`Invalid ${prop}: ${reason}, and this stack is in ${region}. Deploy the DNS stack to us-east-1 or turn ${prop} off.`);
    }
  }

  private queryLogs(retention: logs.RetentionDays | undefined, removalPolicy: RemovalPolicy): logs.LogGroup {
    const logGroup = new logs.LogGroup(this, 'QueryLogs', { retention: retention ?? logs.RetentionDays.ONE_MONTH, removalPolicy });
    const stack = Stack.of(this);
    const policy = logGroup.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('route53.amazonaws.com')],
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
      conditions: {
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:route53:::hostedzone/*` },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }));
    if (!policy.statementAdded) throw new Error('queryLogging: could not add the Route 53 resource policy to the query log group.');
    return logGroup;
  }
}

/** An alias after validation: name without trailing dot, type filled in. */
interface ResolvedAlias {
  readonly name: string;
  readonly type: AliasType;
  /** undefined: this environment's zone. */
  readonly zone?: route53.IHostedZone;
}

/** The name of an imported zone, without trailing dot; fails clearly when the import does not know it. */
function zoneNameOf(zone: route53.IHostedZone, prop: string): string {
  let name: string;
  try {
    name = zone.zoneName;
  } catch {
    throw new PropError(`Invalid ${prop}: its zone name is unknown; import the zone with HostedZone.fromHostedZoneAttributes() or fromLookup(), not fromHostedZoneId().`);
  }
  return Token.isUnresolved(name) ? name : stripDot(name);
}
