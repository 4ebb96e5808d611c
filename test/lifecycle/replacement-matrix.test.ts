/**
 * The replacement matrix (see matrix.ts): for every edit and profile, `fullDiff` of the templates
 * before and after must show (1) no stateful resource replaced or removed unless the edit means
 * it, (2) exactly the expected replacements, additions and removals, and (3) the expected updates.
 * README's "What a change does" table is generated from the same data and must be current.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  baseProps, changed, classify, Edit, EDITS, EditResult, matches, Profile, readmeTable, renderTable, STATEFUL_TYPES, synthesize,
} from './matrix';

const baseTemplates = new Map<Profile, any>();
function base(profile: Profile): any {
  if (!baseTemplates.has(profile)) baseTemplates.set(profile, synthesize(baseProps(profile), profile));
  return baseTemplates.get(profile);
}

/** What fullDiff says the edit does on `profile`. */
export function runEdit(edit: Edit, profile: Profile): EditResult {
  const props = baseProps(profile);
  const beforeProps = edit.before ? edit.before(props, profile) : props;
  const before = edit.before ? synthesize(beforeProps, profile) : base(profile);
  return classify(before, synthesize(edit.after(beforeProps, profile), profile));
}

/** Problems of `result` against the edit's expectations, as readable lines (empty: as expected). */
export function problems(edit: Edit, result: EditResult): string[] {
  const out: string[] = [];
  const named = (patterns: string[] | undefined, [type, id]: [string, string]) => (patterns ?? []).some(p => matches(p, type, id));
  for (const change of ['replaced', 'removed'] as const) {
    for (const [type, id] of changed(result, change)) {
      if (STATEFUL_TYPES.includes(type) && !named(edit.intended, [type, id])) out.push(`stateful ${type} ${id} would be ${change}`);
    }
  }
  const exact = [['replaced', edit.replaced], ['added', edit.added ?? []], ['removed', edit.removed ?? []]] as const;
  for (const [change, patterns] of exact) {
    const actual = changed(result, change);
    for (const resource of actual) {
      if (!named(patterns, resource)) out.push(`unexpected: ${resource[0]} ${resource[1]} is ${change}`);
    }
    for (const pattern of patterns) {
      if (!actual.some(([type, id]) => matches(pattern, type, id))) out.push(`expected ${pattern} to be ${change}, but none is`);
    }
  }
  const updated = changed(result, 'updated');
  for (const pattern of edit.updated) {
    if (!updated.some(([type, id]) => matches(pattern, type, id))) out.push(`expected ${pattern} to be updated, but none is`);
  }
  return out;
}

const CASES = EDITS.flatMap(edit => edit.profiles.map(profile => [edit.name, profile, edit] as [string, Profile, Edit]));

test('the matrix covers at least 15 edits, on both profiles', () => {
  expect(EDITS.length).toBeGreaterThanOrEqual(15);
  expect(CASES.filter(([, p]) => p === 'DEVELOPMENT').length).toBeGreaterThanOrEqual(15);
  expect(CASES.filter(([, p]) => p === 'PRODUCTION').length).toBeGreaterThanOrEqual(15);
});

test.each(CASES)('%s [%s]: no stateful resource replaced; the expected resources replaced, added, removed and updated', (_, profile, edit) => {
  expect(problems(edit, runEdit(edit, profile))).toEqual([]);
});

test('no hidden admin: both profiles create the cluster with BootstrapClusterCreatorAdminPermissions false, and no edit can flip it unseen', () => {
  for (const profile of ['DEVELOPMENT', 'PRODUCTION'] as Profile[]) {
    const clusters = Object.values(base(profile).Resources).filter((r: any) => r.Type === 'AWS::EKS::Cluster') as any[];
    expect(clusters.map(c => c.Properties.AccessConfig.BootstrapClusterCreatorAdminPermissions)).toEqual([false]);
  }
  // The property is create-only: an edit that changed it would replace the cluster, a stateful
  // resource, which the matrix test above refuses for every edit.
  expect(STATEFUL_TYPES).toContain('AWS::EKS::Cluster');
  expect(EDITS.every(e => !(e.intended ?? []).some(i => i.startsWith('AWS::EKS::Cluster')))).toBe(true);
});

test('the check catches a stateful replacement: a table rename would replace the table', () => {
  const rename: Edit = {
    name: 'table renamed',
    profiles: ['PRODUCTION'],
    after: p => ({ ...p, reports: { ...p.reports, tableName: 'prod_reports_v2' } }),
    replaced: [],
    updated: [],
    downtime: '',
  };
  expect(problems(rename, runEdit(rename, 'PRODUCTION'))).toEqual([
    'stateful AWS::DynamoDB::Table prodReportsTableF4164133 would be replaced',
    'unexpected: AWS::DynamoDB::Table prodReportsTableF4164133 is replaced',
  ]);
});

test('README "What a change does" is generated from this matrix (run `npx projen lifecycle:table` after changing it)', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const current = readmeTable(readme);
  if (current !== renderTable()) {
    throw new Error('README.md\'s "What a change does" table is not the one test/lifecycle/matrix.ts generates: run `npx projen lifecycle:table`.');
  }
});
