/**
 * The change report without I/O: two templates in, the Markdown report and the verdict out.
 * A stateful resource (src/delivery/impact.ts STATEFUL_TYPES) that the new template would
 * replace or remove blocks the change, unless the commit names it in an `Allow-Replace:` trailer.
 */
import { changed, ChangeSet, classify, formatAddedRemoved, formatResources, statefulLosses } from './impact';

/** Exit codes of scope-change-report (README "Deliver with a pipeline"). */
export const EXIT_OK = 0;
/** A template could not be read (file, cdk.out, CloudFormation). */
export const EXIT_READ_FAILED = 1;
/** Bad arguments. */
export const EXIT_USAGE = 2;
/** A stateful resource would be replaced or removed and the commit does not allow it. */
export const EXIT_BLOCKED = 3;

/** The commit trailer that lets named stateful resources be replaced or removed. */
export const ALLOW_TRAILER = 'Allow-Replace';

/** One stateful resource the change would replace or remove. */
export interface StatefulLoss {
  /** CloudFormation resource type. */
  readonly type: string;
  /** Logical id in the stack. */
  readonly logicalId: string;
  /** `replaced` or `removed`. */
  readonly change: string;
  /** Whether an `Allow-Replace` trailer names it. */
  readonly allowed: boolean;
}

/** What the report found. */
export interface ChangeReport {
  /** The Markdown report (table, then the stateful findings). */
  readonly markdown: string;
  /** Every stateful resource replaced or removed, allowed or not. */
  readonly losses: StatefulLoss[];
  /** EXIT_OK, or EXIT_BLOCKED when a loss is not allowed. */
  readonly exitCode: number;
}

/**
 * The logical ids named by `Allow-Replace:` trailers in a commit message (one or more trailers,
 * each with one or more ids separated by commas or spaces; the key is case-insensitive).
 */
export function allowedIds(commitMessage: string | undefined): string[] {
  const ids: string[] = [];
  for (const match of (commitMessage ?? '').matchAll(/^[ \t]*Allow-Replace[ \t]*:[ \t]*(.*)$/gim)) {
    ids.push(...match[1].split(/[\s,]+/).filter(id => id.length > 0));
  }
  return [...new Set(ids)];
}

/** `Type:<logical id>` for each `[type, id]`, the README table's notation for one resource. */
function named(pairs: Array<[string, string]>): string[] {
  return pairs.map(([type, id]) => `${type}:${id}`);
}

/** The summary table: the README "What a change does" columns for one stack. */
export function renderRow(stackName: string, result: ChangeSet): string {
  const addedRemoved = formatAddedRemoved(named(changed(result, 'added')), named(changed(result, 'removed')));
  return [
    '| stack | replaced | updated | added / removed |',
    '|---|---|---|---|',
    `| ${stackName} | ${formatResources(named(changed(result, 'replaced')))} | ${formatResources(named(changed(result, 'updated')))} | ${addedRemoved} |`,
  ].join('\n');
}

/** Compares `deployed` (undefined: the stack does not exist yet) with `next` and renders the report. */
export function changeReport(stackName: string, deployed: any | undefined, next: any, commitMessage?: string): ChangeReport {
  const result = classify(deployed ?? {}, next);
  const allow = allowedIds(commitMessage);
  const losses: StatefulLoss[] = statefulLosses(result).map(([type, logicalId, change]) =>
    ({ type, logicalId, change, allowed: allow.includes(logicalId) }));
  const blocked = losses.filter(l => !l.allowed);
  const lines = [`## Change report: ${stackName}`, ''];
  if (deployed === undefined) lines.push(`Stack ${stackName} is not deployed yet: every resource is new.`, '');
  lines.push(renderRow(stackName, result), '');
  if (result.changes.size === 0) lines.push('No resource changes.', '');
  for (const loss of losses) {
    lines.push(loss.allowed
      ? `- ALLOWED: stateful \`${loss.type}\` ${loss.logicalId} would be ${loss.change} (commit trailer \`${ALLOW_TRAILER}: ${loss.logicalId}\`)`
      : `- BLOCKED: stateful \`${loss.type}\` ${loss.logicalId} would be ${loss.change}`);
  }
  const unused = allow.filter(id => !losses.some(l => l.logicalId === id));
  for (const id of unused) lines.push(`- note: \`${ALLOW_TRAILER}: ${id}\` names no stateful resource that this change replaces or removes`);
  if (blocked.length > 0) {
    lines.push('', `BLOCKED: ${blocked.length} stateful resource(s) would be replaced or removed, and their data with them. `
      + 'If that is intended (e.g. after a backup or export), add a trailer to the commit message naming each one:',
    ...blocked.map(l => `    ${ALLOW_TRAILER}: ${l.logicalId}`));
  } else if (losses.length === 0) {
    lines.push('No stateful resource (database, table, bucket, zone, secret, key, cluster, IAM user or key, log group, queue) is replaced or removed.');
  }
  return { markdown: `${lines.join('\n')}\n`, losses, exitCode: blocked.length > 0 ? EXIT_BLOCKED : EXIT_OK };
}
