/**
 * The rollback model (rollback-model.ts) over the example's and the README quick start's
 * environments: a failed first deploy rolls back completely and its retry starts clean, and
 * `cdk destroy` of DEVELOPMENT finishes and leaves nothing behind. README "What a failed first
 * deploy and a destroy leave behind" is generated from the same model and must be current.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe as lines, destroy, failedCreate } from './rollback-model';
import { modelledEnvironments, readmeRollbackTable, renderRollbackTable } from './rollback-table';

const environments = modelledEnvironments();
const keyed = (name: string, template: any) => failedCreate(template).blockers.map(b => `${name}: ${b.type}: ${b.reason}`);

describe.each(environments.map(e => [e.name, e] as const))('%s: a failed first deploy', (name, e) => {
  test('rolls back completely and its retry finds nothing in the way', () => {
    expect(keyed(name, e.template)).toEqual([]);
  });
});

describe('the model finds what blocks a rollback', () => {
  const dev = environments.find(e => e.name === 'example dev')!.template;
  const prod = environments.find(e => e.name === 'example prod')!.template;
  const copy = (t: any) => JSON.parse(JSON.stringify(t));
  const idOf = (t: any, type: string) => Object.keys(t.Resources).find(id => t.Resources[id].Type === type)!;

  test('deletion protection stated on the load balancer or the table', () => {
    const t = copy(dev);
    t.Resources[idOf(t, 'AWS::DynamoDB::Table')].Properties.DeletionProtectionEnabled = true;
    t.Resources[idOf(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer')].Properties.LoadBalancerAttributes.push({ Key: 'deletion_protection.enabled', Value: 'true' });
    expect(lines(failedCreate(t).blockers).map(l => l.replace(/ \S+:/, ':'))).toEqual([
      'AWS::ElasticLoadBalancingV2::LoadBalancer: deletion protection stated in the template',
      'AWS::DynamoDB::Table: deletion protection stated in the template',
    ]);
  });

  test('a log bucket that is deleted on rollback but not emptied (RetainExceptOnCreate instead of Retain)', () => {
    const t = copy(prod);
    const logs = Object.keys(t.Resources).find(id => /AccessLogsBucket/.test(id) && t.Resources[id].Type === 'AWS::S3::Bucket')!;
    t.Resources[logs].DeletionPolicy = 'RetainExceptOnCreate';
    expect(failedCreate(t).blockers.map(b => [b.logicalId, b.reason])).toContainEqual([logs, 'receives logs during the deploy and is not emptied before it is deleted']);
  });

  test('a retained zone with ACM validation records and no cleanup', () => {
    const t = copy(prod);
    const cleanup = idOf(t, 'Custom::ScopeAcmValidationRecordCleanup');
    delete t.Resources[cleanup];
    for (const r of Object.values<any>(t.Resources)) if (Array.isArray(r.DependsOn)) r.DependsOn = r.DependsOn.filter((d: string) => d !== cleanup);
    expect(lines(failedCreate(t).blockers)).toContainEqual(expect.stringMatching(/HostedZone .*: ACM writes DNS validation records into it and no cleanup/));
  });

  test('a kept resource with a fixed name that the retry reuses (Retain table named prod_reports)', () => {
    const t = copy(prod);
    t.Resources[idOf(t, 'AWS::DynamoDB::Table')].DeletionPolicy = 'Retain';
    expect(lines(failedCreate(t).blockers)).toContainEqual(expect.stringMatching(/DynamoDB::Table .*: kept with its fixed TableName: the retry fails with "already exists"/));
  });
});

describe.each(environments.filter(e => e.profile === 'DEVELOPMENT').map(e => [e.name, e] as const))('%s: cdk destroy', (_, e) => {
  test('finishes and leaves nothing behind', () => {
    expect(lines(destroy(e.template).blockers)).toEqual([]);
    expect(lines(destroy(e.template).leftBehind)).toEqual([]);
  });
});

describe.each(environments.filter(e => e.profile === 'PRODUCTION').map(e => [e.name, e] as const))('%s: cdk destroy', (_, e) => {
  test('is stopped by the database\'s deletion protection (on purpose), and keeps every data store and the key', () => {
    expect(lines(destroy(e.template).blockers)).toContainEqual(expect.stringMatching(/RDS::DBInstance .*: deletion protection turned on by the last step/));
    const kept = destroy(e.template).leftBehind.map(f => f.type);
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Route53::HostedZone', 'AWS::KMS::Key', 'AWS::RDS::DBInstance']) expect(kept).toContain(type);
  });
});

test('README "What a failed first deploy and a destroy leave behind" is generated from the model (run `npx ts-node test/lifecycle/write-rollback-table.ts`)', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const current = readmeRollbackTable(readme);
  expect(current).toBeDefined();
  if (current !== renderRollbackTable(environments)) {
    throw new Error('README.md\'s rollback table is not the one the model gives: run `npx ts-node test/lifecycle/write-rollback-table.ts`.');
  }
});
