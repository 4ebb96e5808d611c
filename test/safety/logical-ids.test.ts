/**
 * Upgrades never replace data: the logical IDs of the stateful resources of a reference
 * environment are a contract (the literal list below), and changing an unrelated prop keeps every
 * stateful resource's logical ID and the properties whose change would make CloudFormation replace it.
 */
import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DEV_ENV, DEV_PROPS, environmentTemplate, PROD_PROPS } from './environments';
import { DatabaseCreateOnlySettings, EnvironmentKey, ScopeEnvironmentProps } from '../../src';

/** Stateful resource types and, for each, the properties whose change replaces the resource. */
const STATEFUL: { [type: string]: string[] } = {
  'AWS::RDS::DBInstance': ['DBInstanceIdentifier', 'Engine', 'StorageEncrypted', 'KmsKeyId', 'DBSubnetGroupName', 'DBSnapshotIdentifier',
    'MasterUsername', 'Port', 'DBName', 'AvailabilityZone', 'CharacterSetName', 'Timezone', 'SourceDBInstanceIdentifier'],
  'AWS::RDS::DBSubnetGroup': ['DBSubnetGroupName'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::DynamoDB::Table': ['TableName', 'KeySchema'],
  'AWS::S3::Bucket': ['BucketName', 'ObjectLockEnabled'],
  'AWS::Route53::HostedZone': ['Name'],
  'AWS::KMS::Key': ['KeySpec', 'KeyUsage', 'MultiRegion'],
  'AWS::IAM::User': ['UserName'],
  'AWS::IAM::AccessKey': ['UserName', 'Serial'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::SQS::Queue': ['QueueName', 'FifoQueue'],
};

/**
 * The contract: stateful resources of `new ScopeEnvironment(new Stack(app, 'scope-prod'), 'prod', PROD_PROPS)`.
 * Generated once from the code; a change here means existing environments would lose data on upgrade.
 */
const EXPECTED_PROD_IDS = [
  ['AWS::DynamoDB::Table', 'prodReportsTableF4164133'],
  ['AWS::IAM::AccessKey', 'prodUsersQueueReadWriterAccessKeyBBD5D82A'],
  ['AWS::IAM::AccessKey', 'prodUsersReportReaderAccessKey6916FC1A'],
  ['AWS::IAM::AccessKey', 'prodUsersReportWriterAccessKey192C59C5'],
  ['AWS::IAM::User', 'prodUsersQueueReadWriterUser48607683'],
  ['AWS::IAM::User', 'prodUsersReportReaderUserA6837256'],
  ['AWS::IAM::User', 'prodUsersReportWriterUser1DCCEEB2'],
  ['AWS::KMS::Key', 'prodClusterSecretsKey0D9647F7'],
  // The environment key; it also encrypts the alarm topic (so PRODUCTION has no separate monitoring topic key).
  ['AWS::KMS::Key', 'prodEncryptionKey052B3331'],
  // The kubectl handler's and its provider framework's groups (stated by the library since issue 26; the
  // id is the one @aws-cdk/aws-lambda:useCdkManagedLogGroup gives them, so the flag does not move them).
  ['AWS::Logs::LogGroup', 'prodClusterKubectlProviderHandlerLogGroup561777EB'],
  ['AWS::Logs::LogGroup', 'prodClusterKubectlProviderframeworkonEventLogGroup80DCC31A'],
  ['AWS::Logs::LogGroup', 'prodDatabaseBootstrapLogsF2E0D54C'],
  ['AWS::Logs::LogGroup', 'prodMonitoringContainerInsightsApplicationLogsED01E78C'],
  ['AWS::Logs::LogGroup', 'prodMonitoringContainerInsightsPerformanceLogsDA44BFF1'],
  ['AWS::Logs::LogGroup', 'prodVpcFlowLogsC326614D'],
  ['AWS::RDS::DBInstance', 'prodDatabaseInstance813CFAB6'],
  ['AWS::RDS::DBSubnetGroup', 'prodDatabaseInstanceSubnetGroup9515A052'],
  ['AWS::Route53::HostedZone', 'prodDnsZoneE2A532A9'],
  ['AWS::S3::Bucket', 'prodAccessLogsBucket65BBA34A'],
  ['AWS::S3::Bucket', 'prodReportsBucketCAAC5DF4'],
  ['AWS::SecretsManager::Secret', 'prodDatabaseAppSecretC9829EFA'],
  ['AWS::SecretsManager::Secret', 'prodUsersQueueReadWriterSecret60DBCB2C'],
  ['AWS::SecretsManager::Secret', 'prodUsersReportReaderSecretD618BC74'],
  ['AWS::SecretsManager::Secret', 'prodUsersReportWriterSecret3593444B'],
  // No master secret of ours: HARDENED hands the master password to RDS (ManageMasterUserPassword).
];

/** `type logicalId` -> what must not change: the replacement-causing properties and the deletion policies. */
function statefulResources(template: any): Map<string, any> {
  const found = new Map<string, any>();
  for (const [id, resource] of Object.entries<any>(template.Resources)) {
    const props = STATEFUL[resource.Type];
    if (!props) continue;
    const pinned: { [key: string]: unknown } = { DeletionPolicy: resource.DeletionPolicy, UpdateReplacePolicy: resource.UpdateReplacePolicy };
    for (const p of props) pinned[p] = resource.Properties?.[p];
    found.set(`${resource.Type} ${id}`, JSON.parse(JSON.stringify(pinned)));
  }
  return found;
}

const prodBase = environmentTemplate(PROD_PROPS);
const devBase = environmentTemplate(DEV_PROPS, 'dev', DEV_ENV);

test('the stateful resources of the reference PRODUCTION environment keep their logical IDs', () => {
  const ids = [...statefulResources(prodBase).keys()].sort();
  expect(ids).toEqual(EXPECTED_PROD_IDS.map(([type, id]) => `${type} ${id}`).sort());
});

test('every KMS key, secret and data store of the reference environment is in the pinned list', () => {
  for (const type of ['AWS::RDS::DBInstance', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Route53::HostedZone', 'AWS::KMS::Key']) {
    expect(EXPECTED_PROD_IDS.filter(([t]) => t === type).length).toBeGreaterThanOrEqual(1);
  }
  // 1 application secret + 3 access-key secrets (the master secret is RDS's own); 3 users with 3 keys.
  expect(EXPECTED_PROD_IDS.filter(([t]) => t === 'AWS::SecretsManager::Secret')).toHaveLength(4);
  expect(EXPECTED_PROD_IDS.filter(([t]) => t === 'AWS::IAM::AccessKey')).toHaveLength(3);
});

const PROD_CHANGES: Array<[string, ScopeEnvironmentProps]> = [
  ['more nodes', { ...PROD_PROPS, cluster: { ...PROD_PROPS.cluster, nodeCount: 9 } }],
  ['another node instance type (Graviton)', { ...PROD_PROPS, cluster: { ...PROD_PROPS.cluster, instanceType: new ec2.InstanceType('m7g.xlarge') } }],
  ['helloWorld on', { ...PROD_PROPS, cluster: { ...PROD_PROPS.cluster, helloWorld: true } }],
  ['an extra DNS alias', { ...PROD_PROPS, domain: { ...PROD_PROPS.domain!, aliases: [...PROD_PROPS.domain!.aliases!, { name: 'www.prod.scope.example.com' }] } }],
  ['Pod Identity off', { ...PROD_PROPS, users: { podIdentity: false } }],
  ['a pre-created queue', { ...PROD_PROPS, queues: { queues: ['events'] } }],
  ['database size, backups, monitoring and instance type', {
    ...PROD_PROPS,
    database: {
      ...PROD_PROPS.database,
      allocatedStorage: 100,
      backupRetention: Duration.days(30),
      performanceInsights: true,
      monitoringInterval: Duration.seconds(60),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE),
    },
  }],
  ['profile options turned off: multi-AZ, PITR, versioning', {
    ...PROD_PROPS,
    database: { ...PROD_PROPS.database, multiAz: false },
    reports: { ...PROD_PROPS.reports, pointInTimeRecovery: false, versioned: false },
  }],
  ['extra tags', { ...PROD_PROPS, tags: { ...PROD_PROPS.tags, team: 'platform' } }],
  ['database log exports, enhanced monitoring and IAM authentication off', {
    ...PROD_PROPS, database: { ...PROD_PROPS.database, logExports: false, monitoringInterval: undefined, iamAuthentication: false },
  }],
];

const DEV_CHANGES: Array<[string, ScopeEnvironmentProps]> = [
  ['Pod Identity on', { ...DEV_PROPS, users: { podIdentity: true } }],
  ['helloWorld off, more nodes', { ...DEV_PROPS, cluster: { helloWorld: false, nodeCount: 4 } }],
  ['flow logs on, a pre-created queue', { ...DEV_PROPS, vpcFlowLogs: true, queues: { queues: ['events'] } }],
  ['an alias', { ...DEV_PROPS, domain: { ...DEV_PROPS.domain!, aliases: [{ name: 'scope.dev.scope.example.com' }] } }],
];

function expectNoReplacement(before: any, after: any): void {
  const a = statefulResources(after);
  for (const [key, pinned] of statefulResources(before)) {
    expect({ key, resource: a.get(key) }).toEqual({ key, resource: pinned });
  }
}

test.each(PROD_CHANGES)('PRODUCTION, %s: no stateful resource is replaced', (_, props) => {
  expectNoReplacement(prodBase, environmentTemplate(props));
});

test.each(DEV_CHANGES)('DEVELOPMENT, %s: no stateful resource is replaced', (_, props) => {
  expectNoReplacement(devBase, environmentTemplate(props, 'dev', DEV_ENV));
});

test('turning flow logs off in PRODUCTION removes the flow log group from the stack but keeps it (RetainExceptOnCreate)', () => {
  const before = statefulResources(prodBase).get('AWS::Logs::LogGroup prodVpcFlowLogsC326614D');
  expect(before.DeletionPolicy).toBe('RetainExceptOnCreate');
  expect(statefulResources(environmentTemplate({ ...PROD_PROPS, vpcFlowLogs: false })).has('AWS::Logs::LogGroup prodVpcFlowLogsC326614D')).toBe(false);
});

test('turning access logs off in PRODUCTION removes the access-log bucket from the stack but keeps it (Retain, generated name)', () => {
  const key = 'AWS::S3::Bucket prodAccessLogsBucket65BBA34A';
  expect(statefulResources(prodBase).get(key).DeletionPolicy).toBe('Retain');
  expect(statefulResources(prodBase).get(key).BucketName).toBeUndefined();
  const after = statefulResources(environmentTemplate({ ...PROD_PROPS, accessLogs: false }));
  expect(after.has(key)).toBe(false);
  expect(after.get('AWS::S3::Bucket prodReportsBucketCAAC5DF4')).toEqual(statefulResources(prodBase).get('AWS::S3::Bucket prodReportsBucketCAAC5DF4'));
});

/**
 * `createOnlySettings: ORIGINAL` (the database that the old runbook made, adopted with `cdk import`):
 * master user `postgres`, port 5432 and the aws/rds key, whatever the profile's other defaults
 * (environment key, log exports, monitoring, IAM authentication) are.
 */
const RUNBOOK_DATABASE = {
  Engine: 'postgres',
  StorageEncrypted: true,
  MasterUsername: 'postgres',
  Port: '5432',
  DBSubnetGroupName: { Ref: 'prodDatabaseInstanceSubnetGroup9515A052' },
  DeletionPolicy: 'Snapshot',
  UpdateReplacePolicy: 'Snapshot',
};

const ORIGINAL = { createOnlySettings: DatabaseCreateOnlySettings.ORIGINAL };
test.each([
  ['PRODUCTION with createOnlySettings ORIGINAL (environment key created)', { ...PROD_PROPS, database: ORIGINAL }],
  ['PRODUCTION with createOnlySettings ORIGINAL and EnvironmentKey.awsManaged()', { ...PROD_PROPS, database: ORIGINAL, encryptionKey: EnvironmentKey.awsManaged() }],
])('%s: the database keeps the runbook\'s create-only settings (no KmsKeyId, postgres, 5432)', (_, props) => {
  const db = statefulResources(environmentTemplate(props)).get('AWS::RDS::DBInstance prodDatabaseInstance813CFAB6');
  expect(db).toEqual(RUNBOOK_DATABASE);
  expect(db.KmsKeyId).toBeUndefined();
});

test('without createOnlySettings a new PRODUCTION database is HARDENED (there is no earlier release that created ORIGINAL by default)', () => {
  const db = statefulResources(environmentTemplate({ ...PROD_PROPS, database: undefined })).get('AWS::RDS::DBInstance prodDatabaseInstance813CFAB6');
  expect(db).toMatchObject({ MasterUsername: 'scope_admin', Port: '5433', KmsKeyId: { 'Fn::GetAtt': ['prodEncryptionKey052B3331', 'Arn'] } });
});

test('HARDENED (the example\'s prod): scope_admin, 5433 and the environment key, fixed at creation', () => {
  const db = statefulResources(prodBase).get('AWS::RDS::DBInstance prodDatabaseInstance813CFAB6');
  expect(db).toMatchObject({ MasterUsername: 'scope_admin', Port: '5433', StorageEncrypted: true, KmsKeyId: { 'Fn::GetAtt': ['prodEncryptionKey052B3331', 'Arn'] } });
  // Turning the key off later would replace the database: refused at synth time.
  expect(() => environmentTemplate({ ...PROD_PROPS, encryptionKey: EnvironmentKey.awsManaged() }))
    .toThrow(/^Invalid database.createOnlySettings: HARDENED encrypts the database storage with the environment key/);
});

test('the check catches a replacement (a changed table name)', () => {
  const renamed = environmentTemplate({ ...PROD_PROPS, reports: { tableName: 'prod_reports_v2' } });
  expect(() => expectNoReplacement(prodBase, renamed)).toThrow(/TableName/);
});
