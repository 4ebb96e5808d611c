/**
 * Bad props are always explained: each invalid combination in test/safety/bad-props/*.cases.ts
 * fails at synth time with an Error that names the prop by its path as the user wrote it (and
 * says what is allowed), never with a TypeError, a construct-id clash or a deploy-time
 * CloudFormation failure. Props that are legal but unwise get a warning instead (last tests).
 */
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CLUSTER_CASES } from './bad-props/cluster.cases';
import { DATA_CASES } from './bad-props/data.cases';
import { DATABASE_CASES } from './bad-props/database.cases';
import { DNS_GITOPS_CASES } from './bad-props/dns-gitops.cases';
import { ENVIRONMENT_CASES } from './bad-props/environment.cases';
import { BadPropsCase, newStack, viaEnvironment } from './bad-props/harness';
import { ScopeEnvironment } from '../../src';
import { checkEngineSupport } from '../../src/database/engine-support';
import { WARNINGS } from '../../src/private/warnings';

const CASES: BadPropsCase[] = [...ENVIRONMENT_CASES, ...CLUSTER_CASES, ...DATABASE_CASES, ...DATA_CASES, ...DNS_GITOPS_CASES];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('there are at least 100 cases, each with its own description', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(100);
  expect(new Set(CASES.map(([what]) => what)).size).toBe(CASES.length);
});

test.each(CASES)('%s: a synth-time Error naming %s', (_, prop, build) => {
  let error: unknown;
  try {
    build(newStack());
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(Error);
  const { name, message } = error as Error;
  expect(name).toBe('PropError');
  expect(error).not.toBeInstanceOf(TypeError);
  // The prop by its full path in the props the user wrote (`cluster.nodeCount`) ...
  expect(message).toMatch(new RegExp(`^Invalid ${escape(prop)}[ :]`));
  // ... and, through ScopeEnvironment, which environment it was.
  if (viaEnvironment.has(build)) expect(message).toMatch(/ \(in BadProps\/(dev|Prod_1)\)$/);
  // Not a raw framework failure that only happens to mention a word.
  expect(message).not.toMatch(/There is already a Construct|Cannot read propert|is not a function|undefined|NaN days/);
});

test('every prop check in src throws a PropError (so ScopeEnvironment can name the prop by its path)', () => {
  const files = (readdirSync(path.join(__dirname, '../../src'), { recursive: true }) as string[])
    // Handler code (a *.lambda.ts entry and its handler/ modules) runs in Lambda, not at synth.
    .filter(f => f.endsWith('.ts') && !f.endsWith('.lambda.ts') && !f.split(path.sep).includes('handler'));
  expect(files.length).toBeGreaterThan(10);
  const plain = files.filter(f => /throw new Error\(['`]Invalid /.test(readFileSync(path.join(__dirname, '../../src', f), 'utf8')));
  expect(plain).toEqual([]);
});

describe('legal but unwise: a warning, not an error', () => {
  const warnings = (stack: Stack, id: string) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(`\\[ack: ${escape(id)}\\]`));

  test('PostgreSQL 13 (past RDS standard support): a warning with the end date, the Extended Support end and its price', () => {
    const stack = newStack();
    new ScopeEnvironment(stack, 'dev', { database: { engineVersion: rds.PostgresEngineVersion.VER_13 } });
    const [warning] = warnings(stack, WARNINGS.databaseEngineExtendedSupport);
    expect(warning.id).toBe('/BadProps/dev/Database');
    expect(String(warning.entry.data)).toMatch(/standard support of PostgreSQL 13 ended on 2026-02-28.*until 2029-02-28.*USD 0\.10 per vCPU-hour/);
  });

  test('the RDS calendar decides: in standard support nothing, in Extended Support a warning, after it an error', () => {
    const atDay = (day: string) => () => checkEngineSupport(rds.PostgresEngineVersion.VER_13, newStack(), new Date(`${day}T12:00:00Z`));
    expect(atDay('2026-02-28')).not.toThrow();
    expect(atDay('2029-02-28')).not.toThrow();
    expect(atDay('2029-03-01')).toThrow(/^Invalid engineVersion 13(\.\d+)?: RDS Extended Support of PostgreSQL 13 ended on 2029-02-28/);
    expect(() => checkEngineSupport(rds.PostgresEngineVersion.VER_17, newStack())).not.toThrow();
  });

  test('a current PostgreSQL version: no warning', () => {
    const stack = newStack();
    new ScopeEnvironment(stack, 'dev', { database: { engineVersion: rds.PostgresEngineVersion.VER_17 } });
    expect(warnings(stack, WARNINGS.databaseEngineExtendedSupport)).toEqual([]);
  });

  test('access logs asked for without a TLS listener: a warning (an NLB writes them for TLS listeners only)', () => {
    const stack = newStack();
    new ScopeEnvironment(stack, 'dev', { cluster: { frontend: { accessLogsBucket: new s3.Bucket(stack, 'Logs') } } });
    const [warning] = warnings(stack, WARNINGS.frontendAccessLogsWithoutTls);
    expect(String(warning.entry.data)).toMatch(/no TLS listener \(ports \[80\]\).*for TLS listeners only/);
  });
});
