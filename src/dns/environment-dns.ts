import { CfnOutput, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { createCertificate } from './certificate';
import { validateAliases, validateZoneProps } from './checks';
import { delegateZone } from './delegation';
import { stripDot, validateDomainName, validateRelativeName } from './names';
import { EnvironmentDnsProps } from './options';
import { createRecords } from './records';
import { createZone } from './zone';

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
    validateZoneProps(this, props, this.zoneName);
    const aliases = validateAliases(this, props, this.zoneName, this.frontendName);

    if (props.zone) {
      this.zone = props.zone;
    } else {
      const created = createZone(this, props, this.zoneName, removalPolicy);
      this.zone = created.zone;
      this.queryLogGroup = created.queryLogGroup;
      this.dnssecKey = created.dnssecKey;
      this.keySigningKey = created.keySigningKey;
      this.nameServersOutput = delegateZone(this, props, this.zone, this.zoneName);
    }
    this.nameServers = this.zone.hostedZoneNameServers;

    const records = createRecords(this, props, this.zone, this.frontendName, aliases);
    this.frontendRecord = records.a;
    this.frontendAaaaRecord = records.aaaa;

    if (props.certificate) {
      this.certificate = createCertificate(this, {
        zone: this.zone,
        zoneName: this.zoneName,
        frontendName: this.frontendName,
        aliases,
        zoneRemovalPolicy: props.zone ? undefined : removalPolicy,
      });
    }
  }
}
