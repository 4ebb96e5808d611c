/**
 * An offline model of what CloudFormation does with a synthesized template when (1) the deploy
 * that creates the stack fails and rolls back, and (2) the stack is deleted (`cdk destroy`): what
 * would stop it (a blocker: ROLLBACK_FAILED / DELETE_FAILED, or a retry that fails with "already
 * exists") and what stays in the account. test/lifecycle/rollback.test.ts runs it over the example
 * and the README quick start and keeps README "What a failed first deploy and a destroy leave
 * behind" in sync.
 *
 * The rules, from CloudFormation's DeletionPolicy attribute
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html):
 * - a rollback of the creating deploy deletes every resource except `Retain` ones
 *   (RetainExceptOnCreate "behaves like Retain ... except for the stack operation that initially
 *   created the resource"; Snapshot deletes after a final snapshot); a stack delete keeps `Retain`
 *   and `RetainExceptOnCreate` ones and snapshots `Snapshot` ones;
 * - "For Amazon S3 buckets, you must delete all objects in the bucket for deletion to succeed";
 * - a resource with deletion protection on cannot be deleted (RDS, ELB, DynamoDB all refuse);
 * - Route 53 deletes only a zone that holds nothing but its SOA and NS records (HostedZoneNotEmpty).
 * Assumptions: the only writers into a bucket during a deploy are the AWS log deliveries the
 * template configures (the application is not running yet); the only writers into a zone besides
 * the template are ACM (DNS validation) and ExternalDNS.
 */

/** Something that would stop the operation, or make its retry fail. */
export interface Finding {
  readonly logicalId: string;
  readonly type: string;
  readonly reason: string;
}

/** What the model says about one operation. */
export interface OperationReport {
  /** What stops it (or its retry). */
  readonly blockers: Finding[];
  /** What stays in the account afterwards (and why). */
  readonly leftBehind: Finding[];
}

type Resources = Record<string, any>;

/** The fixed-name property of each type whose name a retry would reuse (zones may share a name). */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::RDS::DBCluster': 'DBClusterIdentifier',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
  'AWS::EKS::Cluster': 'Name',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
  'AWS::KMS::Alias': 'AliasName',
};

const refersTo = (value: unknown, logicalId: string): boolean => JSON.stringify(value ?? null).includes(`{"Ref":"${logicalId}"}`);
const policyOf = (r: any): string => r.DeletionPolicy ?? 'Delete';
const ofType = (resources: Resources, type: string) => Object.entries<any>(resources).filter(([, r]) => r.Type === type);
const finding = (logicalId: string, r: any, reason: string): Finding => ({ logicalId, type: r.Type, reason });

/** Deletion protection the template states (on from the resource's creation). */
export function statedProtection(r: any): boolean {
  const p = r.Properties ?? {};
  switch (r.Type) {
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster':
    case 'AWS::EKS::Cluster':
      return p.DeletionProtection === true || p.DeletionProtection === 'true';
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return p.DeletionProtectionEnabled === true || p.DeletionProtectionEnabled === 'true';
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return (p.LoadBalancerAttributes ?? []).some((a: any) => a.Key === 'deletion_protection.enabled' && String(a.Value) === 'true');
    default:
      return false;
  }
}

/** Logical ids of resources a custom resource turns deletion protection on for (a step after creation). */
function protectedBySteps(resources: Resources): string[] {
  const steps = Object.values<any>(resources).filter(r => /^Custom::/.test(r.Type) && /DeletionProtection/.test(r.Type));
  return Object.keys(resources).filter(id => steps.some(step => refersTo(step.Properties, id)));
}

/** Buckets that AWS services write logs into while the stack deploys. */
function logDestinations(resources: Resources): string[] {
  const all = Object.values<any>(resources);
  const isDestination = (id: string) => all.some(r =>
    refersTo(r.Properties?.LoggingConfiguration?.DestinationBucketName, id)
    || refersTo((r.Properties?.LoadBalancerAttributes ?? []).filter((a: any) => a.Key === 'access_logs.s3.bucket'), id)
    || (r.Type === 'AWS::EC2::FlowLog' && r.Properties?.LogDestinationType === 's3' && refersTo(r.Properties?.LogDestination, id)));
  return ofType(resources, 'AWS::S3::Bucket').map(([id]) => id).filter(isDestination);
}

/** A bucket is emptied before CloudFormation deletes it (aws-cdk-lib's autoDeleteObjects). */
function emptiedOnDelete(resources: Resources, bucketId: string): boolean {
  return ofType(resources, 'Custom::S3AutoDeleteObjects').some(([, r]) => refersTo(r.Properties?.BucketName, bucketId));
}

/** Why a zone that CloudFormation deletes would still hold records ("" when nothing else writes into it). */
function foreignRecords(resources: Resources, zoneId: string, operation: 'rollback' | 'delete'): string {
  const validated = ofType(resources, 'AWS::CertificateManager::Certificate')
    .filter(([, r]) => r.Properties?.ValidationMethod === 'DNS' && refersTo(r.Properties?.DomainValidationOptions, zoneId));
  const cleanups = ofType(resources, 'Custom::ScopeAcmValidationRecordCleanup')
    .filter(([, r]) => refersTo(r.Properties?.HostedZoneId, zoneId))
    .filter(([, r]) => r.Properties?.DeleteRecords === undefined || (operation === 'rollback' && r.Properties.DeleteRecords === 'OnCreateRollback'));
  const certificateDependsOnCleanup = validated.every(([, cert]) => cleanups.some(([cleanupId]) => (cert.DependsOn ?? []).includes(cleanupId)));
  if (validated.length && !certificateDependsOnCleanup) return 'ACM writes DNS validation records into it and no cleanup removes them (HostedZoneNotEmpty)';
  const externalDns = Object.values<any>(resources).some(r => r.Type === 'Custom::AWSCDK-EKS-HelmChart' && /external-dns/.test(JSON.stringify(r.Properties?.Chart)));
  if (externalDns) return 'ExternalDNS writes records into it and nothing removes them (HostedZoneNotEmpty)';
  return '';
}

/** What CloudFormation does with each resource in the operation: deleted, or kept (and why). */
function deletedIn(r: any, operation: 'rollback' | 'delete'): boolean {
  const policy = policyOf(r);
  if (policy === 'Retain') return false;
  return operation === 'rollback' || policy !== 'RetainExceptOnCreate';
}

/** The blockers that stop CloudFormation deleting what it deletes in `operation`. */
function deletionBlockers(resources: Resources, operation: 'rollback' | 'delete'): Finding[] {
  const blockers: Finding[] = [];
  const stepProtected = operation === 'delete' ? protectedBySteps(resources) : [];
  const logBuckets = logDestinations(resources);
  for (const [id, r] of Object.entries<any>(resources)) {
    if (!deletedIn(r, operation)) continue;
    if (statedProtection(r)) blockers.push(finding(id, r, 'deletion protection stated in the template'));
    if (stepProtected.includes(id)) blockers.push(finding(id, r, 'deletion protection turned on by the last step of the deploy'));
    if (r.Type === 'AWS::S3::Bucket' && !emptiedOnDelete(resources, id) && (operation === 'delete' || logBuckets.includes(id))) {
      blockers.push(finding(id, r, operation === 'rollback' ? 'receives logs during the deploy and is not emptied before it is deleted' : 'not emptied before it is deleted'));
    }
    if (r.Type === 'AWS::Route53::HostedZone') {
      const reason = foreignRecords(resources, id, operation);
      if (reason) blockers.push(finding(id, r, reason));
    }
  }
  return blockers;
}

/** Kept resources whose fixed name the retry of the create would use again ("already exists"). */
function fixedNameLeftovers(resources: Resources): Finding[] {
  return Object.entries<any>(resources)
    .filter(([, r]) => !deletedIn(r, 'rollback') && NAME_PROPERTIES[r.Type] && r.Properties?.[NAME_PROPERTIES[r.Type]] !== undefined)
    .map(([id, r]) => finding(id, r, `kept with its fixed ${NAME_PROPERTIES[r.Type]}: the retry fails with "already exists"`));
}

/** What stays after `operation`: kept resources, final snapshots, keys pending deletion. */
function leftovers(resources: Resources, operation: 'rollback' | 'delete'): Finding[] {
  const left: Finding[] = [];
  for (const [id, r] of Object.entries<any>(resources)) {
    if (!deletedIn(r, operation)) left.push(finding(id, r, `kept (${policyOf(r)})`));
    else if (policyOf(r) === 'Snapshot') left.push(finding(id, r, 'final snapshot'));
  }
  return left;
}

/** The rollback of the deploy that created the stack: what blocks it or its retry, what stays. */
export function failedCreate(template: any): OperationReport {
  const resources: Resources = template.Resources ?? {};
  return { blockers: [...deletionBlockers(resources, 'rollback'), ...fixedNameLeftovers(resources)], leftBehind: leftovers(resources, 'rollback') };
}

/** `cdk destroy`: what stops the stack delete, what stays. */
export function destroy(template: any): OperationReport {
  const resources: Resources = template.Resources ?? {};
  return { blockers: deletionBlockers(resources, 'delete'), leftBehind: leftovers(resources, 'delete') };
}

/** `Type logicalId: reason` lines, for test output and messages. */
export function describe(findings: Finding[]): string[] {
  return findings.map(f => `${f.type} ${f.logicalId}: ${f.reason}`);
}
