/**
 * The environment's public hosted zone with its optional query logs and DNSSEC signing
 * (internal: not exported from the package).
 */
import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { EnvironmentDnsProps } from './options';

/** A zone created by EnvironmentDns and what comes with it. */
export interface CreatedZone {
  readonly zone: route53.PublicHostedZone;
  /** Only with `queryLogging`. */
  readonly queryLogGroup?: logs.ILogGroup;
  /** Only with `dnssec`. */
  readonly dnssecKey?: kms.IKey;
  /** Only with `dnssec`. */
  readonly keySigningKey?: route53.IKeySigningKey;
}

/** Creates, in `scope`, the public zone `zoneName` with the query logs and DNSSEC signing `props` ask for. */
export function createZone(scope: Construct, props: EnvironmentDnsProps, zoneName: string, removalPolicy: RemovalPolicy): CreatedZone {
  const queryLogGroup = props.queryLogging ? createQueryLogs(scope, props.queryLogRetention, removalPolicy) : undefined;
  // The id 'Zone' is the zone's logical id: never change it.
  const zone = new route53.PublicHostedZone(scope, 'Zone', {
    zoneName,
    queryLogsLogGroupArn: queryLogGroup?.logGroupArn,
  });
  zone.applyRemovalPolicy(removalPolicy);
  if (queryLogGroup) {
    // Route 53 checks the log group's resource policy (a child of the log group) when logging is configured.
    zone.node.addDependency(queryLogGroup);
  }
  if (!props.dnssec) return { zone, queryLogGroup };
  const dnssecKey = createSigningKey(scope, zoneName, removalPolicy);
  // enableDnssec adds the key policy for dnssec-route53.amazonaws.com, scoped to this zone.
  const keySigningKey = zone.enableDnssec({ kmsKey: dnssecKey });
  // A signed zone must neither outlive its key nor lose its signatures while the parent still has its DS record.
  (keySigningKey.node.defaultChild as CfnResource).applyRemovalPolicy(removalPolicy);
  (zone.node.findChild('DNSSEC') as CfnResource).applyRemovalPolicy(removalPolicy);
  return { zone, queryLogGroup, dnssecKey, keySigningKey };
}

/** The asymmetric KMS key Route 53 requires for DNSSEC signing. */
function createSigningKey(scope: Construct, zoneName: string, removalPolicy: RemovalPolicy): kms.Key {
  return new kms.Key(scope, 'DnssecKey', {
    description: `DNSSEC key signing key of ${zoneName}`,
    keySpec: kms.KeySpec.ECC_NIST_P256,
    keyUsage: kms.KeyUsage.SIGN_VERIFY,
    removalPolicy,
  });
}

/** The query log group with the resource policy that lets Route 53 write into it. */
function createQueryLogs(scope: Construct, retention: logs.RetentionDays | undefined, removalPolicy: RemovalPolicy): logs.LogGroup {
  const logGroup = new logs.LogGroup(scope, 'QueryLogs', { retention: retention ?? logs.RetentionDays.ONE_MONTH, removalPolicy });
  const stack = Stack.of(scope);
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
