/**
 * Custom resource handler (bundled into assets/dns/validation-cleanup, run by a
 * CustomResourceProvider) that removes ACM's DNS validation records from a zone the stack is about
 * to delete.
 *
 * CloudFormation's AWS::CertificateManager::Certificate writes its validation CNAME records into
 * the hosted zone and leaves them there when the certificate is deleted, so deleting the zone then
 * fails with HostedZoneNotEmpty (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/837).
 * The custom resource is created after the zone and before the certificate, so CloudFormation
 * deletes it after the certificate and before the zone, also when a failed first deploy rolls back.
 *
 * Create/Update: nothing. Delete: deletes the CNAME records named `_<token>.<name>.` for the given
 * names whose value points at ACM (`*.acm-validations.aws.`), and nothing else, when the zone is
 * about to go (`shouldDeleteRecords`):
 * - a zone deleted with the stack (DeletionPolicy Delete, no `DeleteRecords` property): always;
 * - a retained zone (`DeleteRecords: OnCreateRollback`, DeletionPolicy RetainExceptOnCreate): only
 *   while the stack is ROLLBACK_IN_PROGRESS, the status CloudFormation gives a stack while it
 *   removes what a failed (or canceled) stack creation made (stack status codes,
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-describing-stacks.html),
 *   the one operation in which CloudFormation deletes a RetainExceptOnCreate resource ("If the stack
 *   operation that created the resource is rolled back, CloudFormation deletes the resource",
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html).
 *   On DELETE_IN_PROGRESS (`cdk destroy`), UPDATE_COMPLETE_CLEANUP_IN_PROGRESS (certificate turned
 *   off) or UPDATE_ROLLBACK_IN_PROGRESS the zone stays, and so do its records: a custom resource's
 *   Delete request does not say which operation sends it, so the handler asks DescribeStacks.
 *   Not covered: a zone and its certificate added by the same update that then rolls back
 *   (UPDATE_ROLLBACK_IN_PROGRESS, the zone goes but its records stay: UPDATE_ROLLBACK_FAILED), and
 *   `--on-failure DELETE` / RollbackStack of a stack with no stable state, which delete the stack
 *   (DELETE_IN_PROGRESS) instead of rolling it back.
 */

/** A Route 53 record set as ListResourceRecordSets returns it (and ChangeResourceRecordSets wants it back to delete it). */
export interface RecordSet {
  readonly Name: string;
  readonly Type: string;
  readonly TTL?: number;
  readonly ResourceRecords?: Array<{ readonly Value: string }>;
  readonly [other: string]: unknown;
}

/** The Route 53 calls the handler makes (the SDK in Lambda, an in-memory zone in tests). */
export interface ZoneApi {
  listRecordSets(hostedZoneId: string): Promise<RecordSet[]>;
  deleteRecordSets(hostedZoneId: string, recordSets: RecordSet[]): Promise<void>;
}

/** The CloudFormation call the handler makes for a retained zone: the stack's current status. */
export interface StackApi {
  stackStatus(stackId: string): Promise<string>;
}

/** The part of a custom resource event the handler reads. */
export interface CleanupEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  /** The stack's ARN (every custom resource request carries it). */
  readonly StackId?: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, unknown>;
}

/** ACM validation record names: an underscore label, then the certificate's domain name. */
export function isValidationRecord(record: RecordSet, names: string[]): boolean {
  if (record.Type !== 'CNAME') return false;
  const name = record.Name.toLowerCase().replace(/\.$/, '');
  const label = name.split('.')[0];
  const rest = name.slice(label.length + 1);
  const values = record.ResourceRecords ?? [];
  return /^_[0-9a-z]+$/.test(label)
    && names.some(n => n.toLowerCase().replace(/\.$/, '').replace(/^\*\./, '') === rest)
    && values.length > 0
    && values.every(v => /\.acm-validations\.aws\.?$/.test(v.Value.toLowerCase()));
}

/** The `DeleteRecords` property value of a retained zone's cleanup. */
export const ON_CREATE_ROLLBACK = 'OnCreateRollback';

/**
 * The decision, apart from any AWS call: delete the validation records on this Delete request?
 * `deleteRecords` is the resource's `DeleteRecords` property (undefined: the zone goes with the
 * stack); `stackStatus` is read only for a retained zone. See the file comment.
 */
export function shouldDeleteRecords(deleteRecords: unknown, stackStatus: () => Promise<string>): Promise<boolean> {
  if (deleteRecords === undefined) return Promise.resolve(true);
  if (deleteRecords !== ON_CREATE_ROLLBACK) throw new Error(`Unknown DeleteRecords '${String(deleteRecords)}': must be ${ON_CREATE_ROLLBACK} or absent.`);
  return stackStatus().then(isRollbackOfCreate);
}

/** True only for the rollback of the stack's creation (ROLLBACK_IN_PROGRESS). */
export function isRollbackOfCreate(stackStatus: string): boolean {
  return stackStatus === 'ROLLBACK_IN_PROGRESS';
}

/** What the handler returns to the provider framework. */
export interface CleanupResult {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** Handles one event; see the file comment. */
export async function onEvent(event: CleanupEvent, zone: ZoneApi, stack?: StackApi): Promise<CleanupResult> {
  const hostedZoneId = String(event.ResourceProperties.HostedZoneId ?? '');
  const names = event.ResourceProperties.RecordNames;
  if (!hostedZoneId || !Array.isArray(names)) throw new Error('Missing custom resource property HostedZoneId or RecordNames.');
  const physicalResourceId = event.PhysicalResourceId ?? `${hostedZoneId}/acm-validation-records`;
  if (event.RequestType !== 'Delete') return { PhysicalResourceId: physicalResourceId };

  const status = async () => {
    if (!stack || !event.StackId) throw new Error('A retained zone\'s cleanup needs the stack (StackId) to read its status.');
    return stack.stackStatus(event.StackId);
  };
  if (!await shouldDeleteRecords(event.ResourceProperties.DeleteRecords, status)) {
    return { PhysicalResourceId: physicalResourceId, Data: { Deleted: '' } };
  }
  const records = (await zone.listRecordSets(hostedZoneId)).filter(r => isValidationRecord(r, names.map(String)));
  if (records.length > 0) await zone.deleteRecordSets(hostedZoneId, records);
  return { PhysicalResourceId: physicalResourceId, Data: { Deleted: records.map(r => r.Name).join(',') } };
}

/** Route 53 through the AWS SDK for JavaScript v3 that the Lambda Node.js runtime includes (kept external by the bundle). */
function route53(): ZoneApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Route53Client, ListResourceRecordSetsCommand, ChangeResourceRecordSetsCommand } = require('@aws-sdk/client-route-53');
  const client = new Route53Client({});
  return {
    async listRecordSets(hostedZoneId) {
      const all: RecordSet[] = [];
      let next: Record<string, string | undefined> = {};
      do {
        const page = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, ...next }));
        all.push(...page.ResourceRecordSets);
        next = page.IsTruncated
          ? { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier }
          : {};
      } while (next.StartRecordName);
      return all;
    },
    async deleteRecordSets(hostedZoneId, recordSets) {
      const changes = recordSets.map(r => ({ Action: 'DELETE', ResourceRecordSet: r }));
      await client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, ChangeBatch: { Changes: changes } }));
    },
  };
}

/** CloudFormation through the AWS SDK for JavaScript v3 of the Lambda Node.js runtime. */
function cloudFormation(): StackApi {
  // The Lambda runtime provides the SDK (the bundle keeps @aws-sdk/* external).
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const { CloudFormationClient, DescribeStacksCommand } = require('@aws-sdk/client-cloudformation');
  const client = new CloudFormationClient({});
  return {
    async stackStatus(stackId) {
      const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackId }));
      return String(Stacks?.[0]?.StackStatus ?? '');
    },
  };
}

/** Lambda entry point. */
export async function handler(event: CleanupEvent) {
  return onEvent(event, route53(), cloudFormation());
}
