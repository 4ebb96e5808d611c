/**
 * scope-change-report offline, on real template pairs: the example PRODUCTION environment before
 * and after edits of the replacement matrix (test/lifecycle/matrix.ts). A safe edit passes, a table
 * or database replacement fails with exit code 3 and names the resource, the commit trailer lets it
 * through, and the table is written the way README's "What a change does" writes it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { PROD_ENV } from '../../example/environments';
import { DatabaseCreateOnlySettings, ScopeEnvironmentStage } from '../../src';
import { main } from '../../src/delivery/change-report';
import { allowedIds, changeReport, EXIT_BLOCKED, EXIT_OK, EXIT_READ_FAILED, EXIT_USAGE } from '../../src/delivery/change-report-core';
import { baseProps, EDITS, renderTable, synthesize } from '../lifecycle/matrix';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'change-report-'));
const write = (name: string, content: unknown) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

const base = baseProps('PRODUCTION');
const deployed = write('deployed.json', synthesize(base, 'PRODUCTION'));
const edit = (name: string) => EDITS.find(e => e.name === name)!;
const SAFE = 'database instance class (`database.instanceType`)';
const safe = write('safe.json', synthesize(edit(SAFE).after(base, 'PRODUCTION'), 'PRODUCTION'));
const tableRenamed = write('table.json', synthesize({ ...base, reports: { ...base.reports, tableName: 'prod_reports_v2' } }, 'PRODUCTION'));
const databaseReplaced = write('database.json', synthesize({
  ...base, database: { ...base.database, createOnlySettings: DatabaseCreateOnlySettings.ORIGINAL },
}, 'PRODUCTION'));
const TABLE_ID = 'prodReportsTableF4164133';

/** Runs the CLI in-process; its exit code, stdout and stderr. */
async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((s: any) => { out += s; return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => { err += s; return true; });
  try {
    return { code: await main(argv), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

const offline = (next: string, ...more: string[]) => run('--stack', 'scope-prod', '--new-template', next, '--deployed-template', deployed, ...more);

test('a safe edit (database instance class) passes with exit 0 and shows the update', async () => {
  const { code, out } = await offline(safe);
  expect(code).toBe(EXIT_OK);
  expect(out).toMatch(/\| scope-prod \| — \| [^|]*`RDS::DBInstance:prodDatabase\w+`[^|]* \| — \|/);
  expect(out).toContain('No stateful resource (database, table, bucket, zone, secret, key, cluster, IAM user or key, log group, queue) is replaced or removed.');
});

test('a table replacement fails with exit 3 and names the table', async () => {
  const { code, out, err } = await offline(tableRenamed);
  expect(code).toBe(EXIT_BLOCKED);
  expect(out).toContain(`- BLOCKED: stateful \`AWS::DynamoDB::Table\` ${TABLE_ID} would be replaced`);
  expect(out).toContain(`    Allow-Replace: ${TABLE_ID}`);
  expect(err).toBe('scope-change-report: a stateful resource would be replaced or removed (see BLOCKED above)\n');
});

test('a database replacement (other create-only settings) fails with exit 3 and names the instance', async () => {
  const { code, out } = await offline(databaseReplaced);
  expect(code).toBe(EXIT_BLOCKED);
  expect(out).toMatch(/- BLOCKED: stateful `AWS::RDS::DBInstance` prodDatabase\w+ would be replaced/);
});

test('an Allow-Replace trailer in the commit message lets exactly the named resource through', async () => {
  const message = write('message.txt', `Rename the reports table\n\nThe old one is exported.\n\nAllow-Replace: ${TABLE_ID}\n`);
  const { code, out } = await offline(tableRenamed, '--commit-message', message);
  expect(code).toBe(EXIT_OK);
  expect(out).toContain(`- ALLOWED: stateful \`AWS::DynamoDB::Table\` ${TABLE_ID} would be replaced (commit trailer \`Allow-Replace: ${TABLE_ID}\`)`);
  // The same trailer does not cover the database.
  expect((await offline(databaseReplaced, '--commit-message', message)).code).toBe(EXIT_BLOCKED);
});

test('trailers: several, comma- or space-separated, key case-insensitive; only at the start of a line', () => {
  expect(allowedIds('x\n\nAllow-Replace: A, B\nallow-replace:C D\nSee Allow-Replace: E')).toEqual(['A', 'B', 'C', 'D']);
  expect(allowedIds(undefined)).toEqual([]);
});

test('the table has the README "What a change does" notation: its cells are the README row\'s resources, with logical ids', async () => {
  const { out } = await offline(write('instance-type.json', synthesize(edit('node instance type (`cluster.instanceType`)').after(base, 'PRODUCTION'), 'PRODUCTION')));
  const row = out.split('\n').find(l => l.startsWith('| scope-prod |'))!;
  const readmeRow = renderTable().split('\n').find(l => l.startsWith('| node instance type'))!;
  const cells = (line: string) => line.split(' | ').map(c => c.replace(/^\| |\s\|$/g, ''));
  // replaced: README `EKS::Nodegroup`; the report `EKS::Nodegroup:<logical id>`.
  expect(cells(readmeRow)[2]).toBe('`EKS::Nodegroup`');
  expect(cells(row)[1]).toMatch(/^`EKS::Nodegroup:prodCluster\w+`$/);
  expect(out.split('\n')).toEqual(expect.arrayContaining(['| stack | replaced | updated | added / removed |', '|---|---|---|---|']));
});

test('a stack that is not deployed yet: everything is added, nothing blocked', () => {
  const report = changeReport('scope-new', undefined, JSON.parse(fs.readFileSync(safe, 'utf8')));
  expect(report.exitCode).toBe(EXIT_OK);
  expect(report.markdown).toContain('Stack scope-new is not deployed yet: every resource is new.');
  expect(report.markdown).toMatch(/\| scope-new \| — \| — \| adds `/);
});

test('finds the stack in cdk.out, inside the stage\'s nested assembly, by stack name or path', async () => {
  const app = new App({ outdir: path.join(dir, 'cdk.out') });
  new ScopeEnvironmentStage(app, 'prod', { env: PROD_ENV, environment: base });
  app.synth();
  const assembly = path.join(dir, 'cdk.out', 'assembly-prod');
  const template = path.join(assembly, fs.readdirSync(assembly).find(f => f.endsWith('.template.json'))!);
  for (const name of ['prod-Scope', 'prod/Scope']) {
    const { code, out } = await run('--stack', name, '--cdk-out', path.join(dir, 'cdk.out'), '--deployed-template', template);
    expect({ name, code }).toEqual({ name, code: EXIT_OK });
    expect(out).toContain('No resource changes.');
  }
  const missing = await run('--stack', 'nope', '--cdk-out', path.join(dir, 'cdk.out'), '--deployed-template', deployed);
  expect(missing.code).toBe(EXIT_READ_FAILED);
  expect(missing.err).toMatch(/no stack 'nope' in .*cdk\.out \(stacks: prod-Scope\)/);
});

test('bad arguments exit 2 with the usage; --help and --version exit 0', async () => {
  expect((await run()).code).toBe(EXIT_USAGE);
  expect((await run('--stack', 'x', '--role-arn', 'not-an-arn')).err).toMatch(/invalid --role-arn 'not-an-arn'/);
  expect((await run('--stack', 'x', '--bogus')).err).toMatch(/^scope-change-report: unknown argument '--bogus'\nusage: /);
  const help = await run('--help');
  expect(help.code).toBe(EXIT_OK);
  expect(help.out).toContain('Exit codes:\n  0  no stateful resource');
  expect((await run('--version')).code).toBe(EXIT_OK);
});

test('the bundled bin (assets/, as shipped) gives the same verdict', () => {
  const bin = path.join(__dirname, '..', '..', 'assets', 'delivery', 'change-report', 'index.js');
  const result = spawnSync(process.execPath, [bin, '--stack', 'scope-prod', '--new-template', tableRenamed, '--deployed-template', deployed], { encoding: 'utf8' });
  expect(result.status).toBe(EXIT_BLOCKED);
  expect(result.stdout).toContain(`- BLOCKED: stateful \`AWS::DynamoDB::Table\` ${TABLE_ID} would be replaced`);
});
