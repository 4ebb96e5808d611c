/**
 * The frontend certificate, validated through DNS, and the clean-up of its validation records
 * (internal: not exported from the package).
 */
import * as path from 'path';
import { Aws, CustomResource, CustomResourceProvider, CustomResourceProviderRuntime, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { ResolvedAlias } from './checks';
import { ON_CREATE_ROLLBACK } from './validation-cleanup';
import { warn, WARNINGS } from '../private/warnings';

/** What createCertificate needs. */
export interface CertificateProps {
  /** The environment's zone. */
  readonly zone: route53.IHostedZone;
  readonly zoneName: string;
  readonly frontendName: string;
  readonly aliases: ResolvedAlias[];
  /** The removal policy of a zone created here; undefined for a zone given with `zone`. */
  readonly zoneRemovalPolicy?: RemovalPolicy;
}

/** Creates, in `scope`, the ACM certificate for the frontend name and the alias names. */
export function createCertificate(scope: Construct, props: CertificateProps): acm.Certificate {
  const { zone, zoneName, frontendName, aliases } = props;
  const zones: { [name: string]: route53.IHostedZone } = { [frontendName]: zone };
  for (const alias of aliases) zones[alias.name] = alias.zone ?? zone;
  const certificate = new acm.Certificate(scope, 'Certificate', {
    domainName: frontendName,
    subjectAlternativeNames: aliases.length ? aliases.map(a => a.name) : undefined,
    validation: acm.CertificateValidation.fromDnsMultiZone(zones),
  });
  const when = cleanupMode(props.zoneRemovalPolicy);
  if (when !== 'never') {
    const names = Object.keys(zones).filter(name => zones[name] === zone);
    removeValidationRecordsOnDelete(scope, { zone: zone as route53.PublicHostedZone, certificate, names, onlyOnCreateRollback: when === 'create-rollback' });
  }
  warn(scope, WARNINGS.dnsCertificateValidation,
    `certificate: ACM validates the certificate for ${frontendName} through DNS records in ${zoneName}; `
    + 'the deployment waits (up to 72 hours, then fails) until the zone is delegated. With neither parentZone nor delegation, '
    + 'add the zone\'s NS records at the parent domain\'s DNS provider while the stack deploys (name servers: Route 53 console or `aws route53 get-hosted-zone`).');
  return certificate;
}

/**
 * When CloudFormation deletes the zone, and so when its validation records must go first: always
 * (DESTROY), only on the rollback of the deploy that created it (RETAIN_ON_UPDATE_OR_DELETE is
 * RetainExceptOnCreate), or never (RETAIN, or a zone of the user's).
 */
export function cleanupMode(zoneRemovalPolicy: RemovalPolicy | undefined): 'always' | 'create-rollback' | 'never' {
  if (zoneRemovalPolicy === RemovalPolicy.DESTROY) return 'always';
  return zoneRemovalPolicy === RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE ? 'create-rollback' : 'never';
}

/** What the cleanup works on. */
interface CleanupTarget {
  readonly zone: route53.PublicHostedZone;
  readonly certificate: acm.Certificate;
  /** The certificate's names validated in `zone`. */
  readonly names: string[];
  /** A retained zone: delete the records only while the stack's creation rolls back. */
  readonly onlyOnCreateRollback: boolean;
}

/**
 * CloudFormation leaves ACM's validation CNAME records in the zone when it deletes the
 * certificate (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/837),
 * so deleting the zone would fail with HostedZoneNotEmpty. A custom resource between the zone and
 * the certificate deletes those records (and nothing else) after the certificate, when the zone
 * goes too: on destroy of a DESTROY zone, and on the rollback of a failed first deploy (a retained
 * zone: the handler reads the stack status, src/dns/validation-cleanup.ts). One Lambda function
 * per stack, only for a zone created here.
 */
function removeValidationRecordsOnDelete(scope: Construct, target: CleanupTarget): void {
  const { zone, certificate, names } = target;
  const provider = CustomResourceProvider.getOrCreateProvider(scope, 'ScopeAcmValidationCleanup', {
    codeDirectory: path.join(__dirname, '..', '..', 'assets', 'dns', 'validation-cleanup'),
    runtime: CustomResourceProviderRuntime.NODEJS_22_X,
    description: 'Deletes ACM DNS validation records from a hosted zone before the zone is deleted',
    timeout: Duration.minutes(2),
  });
  provider.addToRolePolicy({
    Effect: 'Allow',
    Action: ['route53:ListResourceRecordSets', 'route53:ChangeResourceRecordSets'],
    Resource: zone.hostedZoneArn,
  });
  if (target.onlyOnCreateRollback) {
    provider.addToRolePolicy({ Effect: 'Allow', Action: ['cloudformation:DescribeStacks'], Resource: Aws.STACK_ID });
  }
  const cleanup = new CustomResource(scope, 'ValidationRecordCleanup', {
    serviceToken: provider.serviceToken,
    resourceType: 'Custom::ScopeAcmValidationRecordCleanup',
    properties: {
      HostedZoneId: zone.hostedZoneId,
      RecordNames: names,
      ...(target.onlyOnCreateRollback ? { DeleteRecords: ON_CREATE_ROLLBACK } : {}),
    },
  });
  // Created after the zone (it references it) and before the certificate: deleted in between.
  certificate.node.addDependency(cleanup);
}
