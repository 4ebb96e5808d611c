/**
 * The impact rules shared by the change report (scope-change-report) and the replacement matrix
 * (test/lifecycle/): which resource types hold data or identity, how `fullDiff` from
 * @aws-cdk/cloudformation-diff rates each resource change between two templates (from the
 * CloudFormation resource specification, offline), and how the README's "What a change does"
 * table writes resources. Not exported from the package index: @aws-cdk/cloudformation-diff is
 * a devDependency, bundled only into the CLI (assets/delivery/).
 */
// Bundled into scope-change-report by esbuild (assets/), so it is a devDependency on purpose.
// eslint-disable-next-line import/no-extraneous-dependencies
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';

/**
 * Resources that hold data or identity: the database, table, bucket, zone, secrets, keys, the
 * cluster, IAM users and their keys, log groups and queues. None may be replaced or removed
 * unless the change means it.
 */
export const STATEFUL_TYPES = [
  'AWS::RDS::DBInstance', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Route53::HostedZone', 'AWS::SecretsManager::Secret',
  'AWS::KMS::Key', 'AWS::EKS::Cluster', 'AWS::IAM::User', 'AWS::IAM::AccessKey', 'AWS::Logs::LogGroup', 'AWS::SQS::Queue',
];

/** How one resource changes. */
export type Change = 'replaced' | 'updated' | 'added' | 'removed';

/** Logical id -> change, for every resource that changes, and logical id -> resource type. */
export interface ChangeSet {
  readonly changes: Map<string, Change>;
  readonly types: Map<string, string>;
}

/** Keys of a resource whose difference is not a resource update for CloudFormation. */
const NOT_AN_UPDATE = new Set(['DependsOn', 'Metadata']);

/** What `fullDiff` says changes between two templates, per resource. */
export function classify(before: any, after: any): ChangeSet {
  const diff = fullDiff(before, after);
  const changes = new Map<string, Change>();
  const types = new Map<string, string>();
  diff.resources.forEachDifference((logicalId, change) => {
    const type = change.newResourceType ?? change.oldResourceType ?? '?';
    types.set(logicalId, type);
    switch (change.changeImpact) {
      case ResourceImpact.WILL_CREATE: changes.set(logicalId, 'added'); return;
      case ResourceImpact.WILL_DESTROY:
      case ResourceImpact.WILL_ORPHAN: changes.set(logicalId, 'removed'); return;
      case ResourceImpact.WILL_REPLACE:
      case ResourceImpact.MAY_REPLACE: changes.set(logicalId, 'replaced'); return;
      default:
    }
    // Custom resources and properties the specification does not know rate NO_CHANGE: any real
    // property or policy difference is an update.
    const realOther = Object.keys(change.otherChanges).some(k => !NOT_AN_UPDATE.has(k));
    if (Object.keys(change.propertyUpdates).length > 0 || realOther) changes.set(logicalId, 'updated');
  });
  return { changes, types };
}

/** The `[type, logical id]` pairs of `result` with `change`, in template order. */
export function changed(result: ChangeSet, change: Change): Array<[string, string]> {
  return [...result.changes].filter(([, c]) => c === change).map(([id]) => [result.types.get(id)!, id]);
}

/** The stateful resources that `result` replaces or removes: `[type, logical id, change]`. */
export function statefulLosses(result: ChangeSet): Array<[string, string, Change]> {
  return [...result.changes]
    .filter(([id, c]) => (c === 'replaced' || c === 'removed') && STATEFUL_TYPES.includes(result.types.get(id)!))
    .map(([id, c]) => [result.types.get(id)!, id, c]);
}

// ---- the README table's notation ----------------------------------------------------------------

/**
 * Resources the way the README table "What a change does" writes them: each `Type` or
 * `Type:<logical id>` without its `AWS::`/`Custom::` prefix, in backticks, comma-separated; `—` for none.
 */
export function formatResources(resources: string[]): string {
  return resources.length ? resources.map(p => `\`${p.replace(/^AWS::|^Custom::/, '')}\``).join(', ') : '—';
}

/** The table's "added / removed" cell: `adds ...; removes ...`, or `—`. */
export function formatAddedRemoved(added: string[], removed: string[]): string {
  return [
    ...(added.length ? [`adds ${formatResources(added)}`] : []),
    ...(removed.length ? [`removes ${formatResources(removed)}`] : []),
  ].join('; ') || '—';
}
