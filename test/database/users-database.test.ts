import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { DatabaseCreateOnlySettings, UsersDatabase, UsersDatabaseProps } from '../../src/database';

interface Built { stack: Stack; vpc: ec2.Vpc; db: UsersDatabase; template: () => Template }

/**
 * A UsersDatabase `Db` with createOnlySettings ORIGINAL unless `props` say otherwise: most tests
 * here pin the template of the runbook-import case (a generated master secret); the default,
 * HARDENED, has tests of its own ("create-only settings", "HARDENED hands the master password to RDS").
 */
function build(props: Partial<UsersDatabaseProps> = {}, vpcProps: ec2.VpcProps = { maxAzs: 2, natGateways: 1 }): Built {
  const stack = new Stack(new App(), 'S');
  const vpc = new ec2.Vpc(stack, 'Vpc', vpcProps);
  const db = new UsersDatabase(stack, 'Db', { vpc, envName: 'dev', createOnlySettings: DatabaseCreateOnlySettings.ORIGINAL, ...props });
  return { stack, vpc, db, template: () => Template.fromStack(stack) };
}

const INSTANCE = 'DbInstanceD710EDDF';
const MASTER_SECRET = 'SDbInstanceSecretC8A328543fdaad7efa858a3daf9490cf0a702aeb';
const APP_SECRET = 'DbAppSecretDAD45011';
const DB_SECURITY_GROUP = 'DbSecurityGroupC34ABFAB';

describe('UsersDatabase', () => {
  test('private, encrypted gp3 PostgreSQL 17 with the old setup\'s backups and safe defaults', () => {
    const t = build().template();
    t.resourceCountIs('AWS::RDS::DBInstance', 1);
    t.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
      Properties: {
        Engine: 'postgres',
        // Major only: RDS's automatic minor upgrades never disagree with the template.
        EngineVersion: '17',
        AutoMinorVersionUpgrade: true,
        AllowMajorVersionUpgrade: false,
        // SNAPSHOT: the automated backups outlive the instance for their retention period.
        DeleteAutomatedBackups: false,
        DBInstanceClass: 'db.t4g.micro',
        AllocatedStorage: '20',
        StorageType: 'gp3',
        StorageEncrypted: true,
        PubliclyAccessible: false,
        MultiAZ: true,
        BackupRetentionPeriod: 5,
        // Turned on by the DeletionProtection step instead (see below).
        DeletionProtection: Match.absent(),
        EnableIAMDatabaseAuthentication: false,
        EnablePerformanceInsights: false,
        MonitoringInterval: Match.absent(),
        MasterUsername: 'postgres',
        DBName: Match.absent(),
        VPCSecurityGroups: [{ 'Fn::GetAtt': [DB_SECURITY_GROUP, 'GroupId'] }],
      },
    });
    t.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: [{ Ref: 'VpcPrivateSubnet1Subnet536B997A' }, { Ref: 'VpcPrivateSubnet2Subnet3788AAA1' }],
    });
  });

  test('stateful resources keep their logical IDs', () => {
    const t = build().template();
    expect(Object.keys(t.findResources('AWS::RDS::DBInstance'))).toEqual([INSTANCE]);
    expect(Object.keys(t.findResources('AWS::SecretsManager::Secret')).sort()).toEqual([APP_SECRET, MASTER_SECRET].sort());
  });

  test('TLS is forced by the parameter group', () => {
    const t = build().template();
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: 'postgres17', Parameters: { 'rds.force_ssl': '1' } });
    t.hasResourceProperties('AWS::RDS::DBInstance', { DBParameterGroupName: { Ref: Match.stringLikeRegexp('^DbParameters') } });
  });

  test('no password in the template: master password resolved from its generated secret, app password generated', () => {
    const t = build().template();
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      MasterUserPassword: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: MASTER_SECRET }, ':SecretString:password::}}']] },
    });
    for (const secret of Object.values(t.findResources('AWS::SecretsManager::Secret'))) {
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(secret.Properties.GenerateSecretString.GenerateStringKey).toBe('password');
    }
    t.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{"username":"scope_users"}', ExcludePunctuation: true, PasswordLength: 32 },
    });
    expect(JSON.stringify(t.toJSON())).not.toMatch(/"(MasterUserPassword|password)":"[^{]/i);
  });

  test('ingress only from allowed peers (the bootstrap function and allowFrom), never from a CIDR', () => {
    const { stack, vpc, db, template } = build();
    const app = new ec2.SecurityGroup(stack, 'AppSg', { vpc });
    db.allowFrom(app, 'PostgreSQL from the app');
    const t = template();

    const ingress = t.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { GroupId: { 'Fn::GetAtt': [DB_SECURITY_GROUP, 'GroupId'] } } });
    const sources = Object.values(ingress).map((r) => r.Properties.SourceSecurityGroupId['Fn::GetAtt'][0]).sort();
    expect(sources).toEqual([stack.getLogicalId(app.node.defaultChild as ec2.CfnSecurityGroup), 'DbBootstrapSecurityGroup68ADF62F']);
    for (const rule of Object.values(ingress)) {
      expect(rule.Properties).toMatchObject({ IpProtocol: 'tcp', FromPort: { 'Fn::GetAtt': [INSTANCE, 'Endpoint.Port'] } });
    }
    const sg = t.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('^Users database \\(dev\\): PostgreSQL') } });
    expect(Object.values(sg)[0].Properties.SecurityGroupIngress).toBeUndefined();
    t.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { CidrIp: Match.anyValue() }, 0);
  });

  test('profile-style overrides: retention, removal, multi-AZ, size, class', () => {
    const t = build({
      backupRetention: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
      multiAz: false,
      allocatedStorage: 100,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
      engineVersion: rds.PostgresEngineVersion.VER_16_4,
    }).template();
    t.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Delete',
      Properties: {
        BackupRetentionPeriod: 14,
        DeletionProtection: false,
        MultiAZ: false,
        AllocatedStorage: '100',
        DBInstanceClass: 'db.m7g.large',
        EngineVersion: '16.4',
        // DESTROY: nothing of the instance is left behind.
        DeleteAutomatedBackups: true,
      },
    });
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: 'postgres16' });
  });

  test('the default major-only version keeps the postgres17 parameter group of the former 17.9 default', () => {
    const major = build().template();
    const pinned = build({ engineVersion: rds.PostgresEngineVersion.VER_17_9 }).template();
    major.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: 'postgres17' });
    // Same parameter group (Family is create-only): moving from 17.9 to 17 replaces nothing.
    expect(major.findResources('AWS::RDS::DBParameterGroup')).toEqual(pinned.findResources('AWS::RDS::DBParameterGroup'));
    expect(Object.keys(pinned.findResources('AWS::RDS::DBInstance'))).toEqual([INSTANCE]);
  });

  test('a major upgrade: allowMajorVersionUpgrade and a parameter group of the new family, same instance', () => {
    const t = build({ engineVersion: rds.PostgresEngineVersion.VER_18, allowMajorVersionUpgrade: true }).template();
    t.hasResourceProperties('AWS::RDS::DBInstance', { EngineVersion: '18', AllowMajorVersionUpgrade: true });
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: 'postgres18', Parameters: { 'rds.force_ssl': '1' } });
    expect(Object.keys(t.findResources('AWS::RDS::DBInstance'))).toEqual([INSTANCE]);
  });

  test('deleteAutomatedBackups overrides the removal policy default', () => {
    build({ deleteAutomatedBackups: true }).template().hasResourceProperties('AWS::RDS::DBInstance', { DeleteAutomatedBackups: true });
    build({ removalPolicy: RemovalPolicy.DESTROY, deleteAutomatedBackups: false }).template()
      .hasResourceProperties('AWS::RDS::DBInstance', { DeleteAutomatedBackups: false });
  });

  test.each([
    [RemovalPolicy.RETAIN, 'Retain'],
    [RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, 'RetainExceptOnCreate'],
  ])('%s keeps everything the retained instance still uses', (removalPolicy, deletionPolicy) => {
    const t = build({ removalPolicy }).template();
    const retained = (type: string) => Object.values(t.findResources(type)).map((r) => r.DeletionPolicy);
    expect(retained('AWS::RDS::DBInstance')).toEqual([deletionPolicy]);
    expect(retained('AWS::RDS::DBParameterGroup')).toEqual([deletionPolicy]);
    expect(retained('AWS::RDS::DBSubnetGroup')).toEqual([deletionPolicy]);
    expect(retained('AWS::SecretsManager::Secret')).toEqual([deletionPolicy, deletionPolicy]);
    t.hasResource('AWS::EC2::SecurityGroup', { DeletionPolicy: deletionPolicy, Properties: { GroupDescription: Match.stringLikeRegexp('from allowed peers only') } });
    // aws-cdk-lib would write DeletionProtection: true for RETAIN; the step sets it instead.
    t.hasResourceProperties('AWS::RDS::DBInstance', { DeletionProtection: Match.absent() });
    t.resourceCountIs('Custom::UsersDatabaseDeletionProtection', 1);
  });

  test('deletion protection: left out of the template and turned on by a last step on the bootstrap\'s provider and handler (isComplete)', () => {
    const t = build().template();
    // The handler, and the framework's onEvent, isComplete and onTimeout functions with its waiter state machine.
    t.resourceCountIs('AWS::Lambda::Function', 4);
    t.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const handlers = Object.values<any>(t.findResources('AWS::Lambda::Function')).map(f => f.Properties.Environment?.Variables ?? {});
    const bootstrapFn = { 'Fn::GetAtt': [expect.stringMatching(/^DbBootstrapFunction/), 'Arn'] };
    expect(handlers).toContainEqual(expect.objectContaining({ USER_ON_EVENT_FUNCTION_ARN: bootstrapFn, USER_IS_COMPLETE_FUNCTION_ARN: bootstrapFn }));
    const steps = Object.values(t.findResources('Custom::UsersDatabaseDeletionProtection'));
    expect(steps).toHaveLength(1);
    const [bootstrapId] = Object.keys(t.findResources('Custom::UsersDatabaseBootstrap'));
    expect(steps[0].Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^DbBootstrapProviderframeworkonEvent/), 'Arn'] },
      DBInstanceIdentifier: { Ref: INSTANCE },
      DeletionProtection: true,
    });
    expect(steps[0].DependsOn).toContain(bootstrapId);
    // The handler may modify this instance only.
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Action: ['rds:ModifyDBInstance', 'rds:DescribeDBInstances'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':db:', { Ref: INSTANCE }]] },
        }]),
      },
    });
  });

  test('explicit deletionProtection wins over the removal policy default', () => {
    const on = build({ removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true }).template();
    on.resourceCountIs('Custom::UsersDatabaseDeletionProtection', 1);
    on.hasResourceProperties('AWS::RDS::DBInstance', { DeletionProtection: Match.absent() });
    const off = build({ removalPolicy: RemovalPolicy.SNAPSHOT, deletionProtection: false }).template();
    off.resourceCountIs('Custom::UsersDatabaseDeletionProtection', 0);
    off.hasResourceProperties('AWS::RDS::DBInstance', { DeletionProtection: false });
  });

  test('bootstrapSerial is a bootstrap property only when set, so bumping it re-runs the bootstrap', () => {
    const props = (serial?: number) => Object.values(build({ bootstrapSerial: serial }).template()
      .findResources('Custom::UsersDatabaseBootstrap'))[0].Properties;
    expect(props()).not.toHaveProperty('BootstrapSerial');
    expect(props(0)).not.toHaveProperty('BootstrapSerial');
    expect(props(3).BootstrapSerial).toBe(3);
    expect(() => build({ bootstrapSerial: 1.5 })).toThrow('Invalid bootstrapSerial 1.5: must be a whole number of at least 0.');
  });

  test('snapshotIdentifier restores into the same logical ID, network, parameters and secrets', () => {
    const t = build({ snapshotIdentifier: 'arn:aws:rds:eu-west-1:111111111111:snapshot:users-final' }).template();
    expect(Object.keys(t.findResources('AWS::RDS::DBInstance'))).toEqual([INSTANCE]);
    expect(Object.keys(t.findResources('AWS::SecretsManager::Secret')).sort()).toEqual([APP_SECRET, MASTER_SECRET].sort());
    t.hasResource('AWS::RDS::DBInstance', {
      DeletionPolicy: 'Snapshot',
      Properties: {
        DBSnapshotIdentifier: 'arn:aws:rds:eu-west-1:111111111111:snapshot:users-final',
        MasterUsername: Match.absent(),
        StorageEncrypted: Match.absent(),
        MasterUserPassword: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: MASTER_SECRET }, ':SecretString:password::}}']] },
        VPCSecurityGroups: [{ 'Fn::GetAtt': [DB_SECURITY_GROUP, 'GroupId'] }],
        DBParameterGroupName: { Ref: Match.stringLikeRegexp('^DbParameters') },
        PubliclyAccessible: false,
        BackupRetentionPeriod: 5,
      },
    });
    t.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: { SecretStringTemplate: '{"username":"postgres"}' } });
    t.resourceCountIs('Custom::UsersDatabaseBootstrap', 1);
  });

  test('create-only settings: ORIGINAL is postgres / 5432 / aws/rds; HARDENED (default) is scope_admin / 5433 / storageEncryptionKey', () => {
    const original = build().template();
    original.hasResourceProperties('AWS::RDS::DBInstance', { MasterUsername: 'postgres', Port: '5432', StorageEncrypted: true, KmsKeyId: Match.absent() });

    const { stack, vpc } = build();
    const key = new kms.Key(stack, 'Key');
    const hardened = new UsersDatabase(stack, 'Db2', { vpc, storageEncryptionKey: key });
    hardened.allowFrom(ec2.Peer.securityGroupId('sg-12345678'), 'app');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      MasterUsername: 'scope_admin', Port: '5433', StorageEncrypted: true, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    // The security group, the bootstrap and the URL follow the port (the instance's endpoint port).
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      SourceSecurityGroupId: 'sg-12345678', FromPort: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Db2Instance'), 'Endpoint.Port'] },
    });
    // Explicit props win over either set.
    build({ createOnlySettings: DatabaseCreateOnlySettings.HARDENED, masterUsername: 'owner', port: 6543 }).template()
      .hasResourceProperties('AWS::RDS::DBInstance', { MasterUsername: 'owner', Port: '6543' });
  });

  test('HARDENED hands the master password to RDS: ManageMasterUserPassword under encryptionKey, no master secret of ours; the bootstrap reads RDS\'s', () => {
    const stack = new Stack(new App(), 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const key = new kms.Key(stack, 'Key');
    const db = new UsersDatabase(stack, 'Db', { vpc, encryptionKey: key, storageEncryptionKey: key });
    const t = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] };
    const secretArn = { 'Fn::GetAtt': [INSTANCE, 'MasterUserSecret.SecretArn'] };
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      ManageMasterUserPassword: true, MasterUserSecret: { KmsKeyId: keyArn }, MasterUserPassword: Match.absent(), MasterUsername: 'scope_admin',
    });
    // Only the application secret is ours; no placeholder password anywhere in the template.
    expect(Object.keys(t.findResources('AWS::SecretsManager::Secret'))).toEqual([APP_SECRET]);
    t.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 0);
    expect(JSON.stringify(t.toJSON())).not.toContain('managed-by-rds');
    expect(stack.resolve(db.secret.secretArn)).toEqual(secretArn);
    // The bootstrap reads the secret RDS manages, with GetSecretValue on exactly it and kms:Decrypt via Secrets Manager.
    t.hasResourceProperties('Custom::UsersDatabaseBootstrap', { MasterSecretArn: secretArn });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('^DbBootstrapMasterSecretPolicy'),
      PolicyDocument: { Statement: [{ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: secretArn }] },
    });
    const [bootstrap] = Object.values<any>(t.findResources('Custom::UsersDatabaseBootstrap'));
    expect(bootstrap.DependsOn).toContainEqual(expect.stringMatching(/^DbBootstrapMasterSecretPolicy/));
    const statements = Object.values<any>(t.findResources('AWS::IAM::Policy')).flatMap(p => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(expect.objectContaining({
      Action: 'kms:Decrypt',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
    }));
    // The function's own policy names no attribute of the instance: the function does not wait for the database.
    const [fnPolicy] = Object.entries<any>(t.findResources('AWS::IAM::Policy')).filter(([id]) => id.startsWith('DbBootstrapFunctionServiceRoleDefaultPolicy'));
    expect(JSON.stringify(fnPolicy[1].Properties)).not.toContain(INSTANCE);
  });

  test('encryptionKey: secrets and the bootstrap log group (kept logRetention); storage stays on aws/rds', () => {
    const { stack, vpc } = build();
    const key = new kms.Key(stack, 'Key');
    new UsersDatabase(stack, 'Db2', { vpc, encryptionKey: key, logRetention: 30, createOnlySettings: DatabaseCreateOnlySettings.ORIGINAL });
    const t = Template.fromStack(stack);
    const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] };
    t.hasResourceProperties('AWS::RDS::DBInstance', { MasterUsername: 'postgres', KmsKeyId: Match.absent() });
    const secrets = Object.entries<any>(t.findResources('AWS::SecretsManager::Secret')).filter(([id]) => id.includes('Db2'));
    expect(secrets).toHaveLength(2);
    for (const [, secret] of secrets) expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
    t.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn, RetentionInDays: 30 });
    // The bootstrap writes the app secret: it needs a data key from the key.
    const statements = Object.values<any>(t.findResources('AWS::IAM::Policy')).flatMap(p => p.Properties.PolicyDocument.Statement);
    // Only through Secrets Manager, as kms:Decrypt.
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'kms:GenerateDataKey',
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
    });
    expect(statements.filter(s => [s.Action].flat().includes('kms:GenerateDataKey') && !s.Condition)).toEqual([]);
  });

  test('logExports: postgresql and upgrade logs to CloudWatch; the bootstrap sets retention and key on exactly that log group', () => {
    const { stack, vpc } = build();
    const key = new kms.Key(stack, 'Key');
    new UsersDatabase(stack, 'Db2', { vpc, logExports: true, encryptionKey: key });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::DBInstance', { EnableCloudwatchLogsExports: ['postgresql', 'upgrade'] });
    const logGroupName = { 'Fn::Join': ['', ['/aws/rds/instance/', { Ref: Match.stringLikeRegexp('^Db2Instance') }, '/postgresql']] };
    t.hasResourceProperties('Custom::UsersDatabaseBootstrap', {
      LogGroupName: logGroupName, LogRetentionDays: 365, LogKmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    const statements = Object.values<any>(t.findResources('AWS::IAM::Policy')).flatMap(p => p.Properties.PolicyDocument.Statement);
    const logs = statements.find(st => JSON.stringify(st.Action).includes('logs:PutRetentionPolicy'));
    expect(logs.Action).toEqual(['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:AssociateKmsKey']);
    expect(JSON.stringify(logs.Resource)).toMatch(/log-group:\/aws\/rds\/instance\/".*"\/postgresql"/);
    // Off by default: no exports, no log group properties.
    build().template().hasResourceProperties('Custom::UsersDatabaseBootstrap', { LogGroupName: Match.absent() });
    build().template().hasResourceProperties('AWS::RDS::DBInstance', { EnableCloudwatchLogsExports: Match.absent() });
  });

  test('customer KMS key for storage and Performance Insights; enhanced monitoring', () => {
    const { stack, vpc } = build();
    const key = new kms.Key(stack, 'Key');
    new UsersDatabase(stack, 'Db2', { vpc, storageEncryptionKey: key, performanceInsights: true, monitoringInterval: Duration.seconds(60) });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      StorageEncrypted: true,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      EnablePerformanceInsights: true,
      PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      MonitoringInterval: 60,
      MonitoringRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Db2InstanceMonitoringRole'), 'Arn'] },
    });
  });

  test('databaseInsights: Standard mode with Performance Insights (free 7 days, aws/rds key), exposed as databaseInsights', () => {
    const { stack, vpc } = build();
    const key = new kms.Key(stack, 'Key');
    const db = new UsersDatabase(stack, 'Db2', { vpc, storageEncryptionKey: key, databaseInsights: true });
    expect(db.databaseInsights).toBe(true);
    // No PerformanceInsightsKMSKeyId: adding it to an existing instance may replace it (test/lifecycle).
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBInstance', {
      DatabaseInsightsMode: 'standard',
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: 7,
      PerformanceInsightsKMSKeyId: Match.absent(),
    });
    // With performanceInsights asked for explicitly, the storage key as before.
    const both = build();
    const bothKey = new kms.Key(both.stack, 'Key');
    new UsersDatabase(both.stack, 'Db2', { vpc: both.vpc, storageEncryptionKey: bothKey, databaseInsights: true, performanceInsights: true });
    Template.fromStack(both.stack).hasResourceProperties('AWS::RDS::DBInstance', {
      DatabaseInsightsMode: 'standard', PerformanceInsightsKMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
    });
    // Off by default: neither Database Insights nor Performance Insights.
    const off = build();
    expect(off.db.databaseInsights).toBe(false);
    off.template().hasResourceProperties('AWS::RDS::DBInstance', { DatabaseInsightsMode: Match.absent(), EnablePerformanceInsights: false });
  });

  test('databaseInsights with performanceInsights false fails at synth time naming the prop', () => {
    expect(() => build({ databaseInsights: true, performanceInsights: false })).toThrow(/Invalid performanceInsights false: databaseInsights/);
  });

  test('bootstrap: one custom resource after the instance, its secrets and the security group rules; 2 Lambda functions without the step', () => {
    build({ deletionProtection: false }).template().resourceCountIs('AWS::Lambda::Function', 2);
    const t = build().template();
    const bootstrap = t.findResources('Custom::UsersDatabaseBootstrap');
    expect(Object.keys(bootstrap)).toHaveLength(1);
    const [cr] = Object.values(bootstrap);
    expect(cr.Properties).toEqual({
      ServiceToken: { 'Fn::GetAtt': [expect.stringMatching(/^DbBootstrapProviderframeworkonEvent/), 'Arn'] },
      Host: { 'Fn::GetAtt': [INSTANCE, 'Endpoint.Address'] },
      Port: { 'Fn::GetAtt': [INSTANCE, 'Endpoint.Port'] },
      MasterSecretArn: { Ref: 'DbInstanceSecretAttachmentCDEAF4EB' },
      AppSecretArn: { Ref: APP_SECRET },
      DatabaseName: 'users',
      AppUsername: 'scope_users',
      // Where urlVerifyFull expects the RDS CA bundle in the client (a new property: existing environments re-run the bootstrap once).
      ClientCaBundle: '/etc/ssl/rds/global-bundle.pem',
    });
    expect(cr.DependsOn).toEqual(expect.arrayContaining([
      DB_SECURITY_GROUP,
      expect.stringMatching(/^DbSecurityGroupfromSDbBootstrapSecurityGroup/),
      expect.stringMatching(/^DbBootstrapSecurityGrouptoSDbSecurityGroup/),
    ]));

    // The handler runs in the VPC's private subnets with a 2-minute timeout, behind its own security group.
    t.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Timeout: 120,
      VpcConfig: {
        SubnetIds: [{ Ref: 'VpcPrivateSubnet1Subnet536B997A' }, { Ref: 'VpcPrivateSubnet2Subnet3788AAA1' }],
        SecurityGroupIds: [{ 'Fn::GetAtt': ['DbBootstrapSecurityGroup68ADF62F', 'GroupId'] }],
      },
    });
    // Its only rights: read both secrets, write the app secret, and set deletion protection on the instance.
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^DbBootstrapFunctionServiceRole') }],
      PolicyDocument: {
        Statement: [
          // The master secret itself (same ARN as its attachment), so the function does not wait for the instance.
          { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: Match.stringLikeRegexp('^S?DbInstanceSecret[0-9A-F]{8}') } },
          { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: APP_SECRET } },
          { Action: 'secretsmanager:PutSecretValue', Effect: 'Allow', Resource: { Ref: APP_SECRET } },
        ],
      },
    });
    // Deletion protection in a policy of its own that only that step waits for (not the function).
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^DbBootstrapFunctionServiceRole') }],
      PolicyDocument: {
        Statement: [{ Action: ['rds:ModifyDBInstance', 'rds:DescribeDBInstances'], Effect: 'Allow', Resource: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':db:', { Ref: INSTANCE }])] }) }],
      },
    });
    // Its security group: out to the database and HTTPS only.
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('bootstrap'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'Secrets Manager API' }],
    });
  });

  test('custom names reach the bootstrap and the app secret', () => {
    const t = build({ databaseName: 'scope_users_db', appUsername: 'users_app', masterUsername: 'scope_admin' }).template();
    t.hasResourceProperties('Custom::UsersDatabaseBootstrap', { DatabaseName: 'scope_users_db', AppUsername: 'users_app' });
    t.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: { SecretStringTemplate: '{"username":"users_app"}' } });
    t.hasResourceProperties('AWS::RDS::DBInstance', { MasterUsername: 'scope_admin' });
  });

  test('grantConnect grants read on the app secret only', () => {
    const { stack, db, template } = build();
    const role = new iam.Role(stack, 'Service', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') });
    db.grantConnect(role);
    template().hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Service') }],
      PolicyDocument: { Statement: [{ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: { Ref: APP_SECRET } }] },
    });
  });

  test('grantIamConnect needs iamAuthentication and grants rds-db:connect for that user', () => {
    const off = build();
    const r1 = new iam.Role(off.stack, 'Service', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => off.db.grantIamConnect(r1, 'reporting')).toThrow('grantIamConnect needs iamAuthentication: true on the UsersDatabase.');

    const on = build({ iamAuthentication: true });
    const r2 = new iam.Role(on.stack, 'Service', { assumedBy: new iam.AccountRootPrincipal() });
    on.db.grantIamConnect(r2, 'reporting');
    const t = on.template();
    t.hasResourceProperties('AWS::RDS::DBInstance', { EnableIAMDatabaseAuthentication: true });
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^Service') }],
      PolicyDocument: {
        Statement: [{
          Action: 'rds-db:connect',
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', Match.arrayWith([':dbuser:', { 'Fn::GetAtt': [INSTANCE, 'DbiResourceId'] }, '/reporting'])] },
        }],
      },
    });
  });

  test('isolated subnets are used when the VPC has no private subnets with egress', () => {
    const { stack, vpc, template } = build({}, { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    template().hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: stack.resolve(vpc.isolatedSubnets.map((s) => s.subnetId)) });
  });

  test('a VPC with public subnets only is refused', () => {
    expect(() => build({}, { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'pub', subnetType: ec2.SubnetType.PUBLIC }] }))
      .toThrow('Invalid vpc: UsersDatabase needs private subnets (PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED)');
  });

  test.each<[string, Partial<UsersDatabaseProps>, string | RegExp]>([
    ['allocatedStorage too small', { allocatedStorage: 10 }, 'Invalid allocatedStorage 10: must be a whole number from 20 to 65536.'],
    ['allocatedStorage too big', { allocatedStorage: 70000 }, 'Invalid allocatedStorage 70000'],
    ['allocatedStorage fractional', { allocatedStorage: 20.5 }, 'Invalid allocatedStorage 20.5'],
    ['databaseName upper case', { databaseName: 'Users' }, "Invalid databaseName 'Users': must match [a-z_][a-z0-9_]{0,62}"],
    ['databaseName with hyphen', { databaseName: 'users-db' }, "Invalid databaseName 'users-db'"],
    ['databaseName reserved', { databaseName: 'postgres' }, "Invalid databaseName 'postgres': must not be one of the reserved databases"],
    ['appUsername pg_', { appUsername: 'pg_users' }, "Invalid appUsername 'pg_users': must not start with pg_ or rds"],
    ['appUsername = master', { appUsername: 'postgres' }, "Invalid appUsername 'postgres': must differ from masterUsername."],
    ['appUsername = master (HARDENED)', { appUsername: 'scope_admin', createOnlySettings: DatabaseCreateOnlySettings.HARDENED }, "Invalid appUsername 'scope_admin': must differ from masterUsername."],
    ['masterUsername', { masterUsername: 'Admin' }, "Invalid masterUsername 'Admin'"],
    ['backupRetention zero', { backupRetention: Duration.days(0) }, 'Invalid backupRetention 0 days: must be whole days from 1 to 35.'],
    ['backupRetention too long', { backupRetention: Duration.days(36) }, 'Invalid backupRetention 36 days'],
    ['backupRetention hours', { backupRetention: Duration.hours(36) }, 'Invalid backupRetention 1 day 12 hours: must be whole days from 1 to 35.'],
    ['monitoringInterval', { monitoringInterval: Duration.seconds(2) }, 'Invalid monitoringInterval 2 seconds: must be one of 1, 5, 10, 15, 30, 60 seconds.'],
    ['envName', { envName: 'Prod' }, "Invalid envName 'Prod'"],
  ])('bad props fail at synth: %s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('storageEncryptionKey with snapshotIdentifier is refused', () => {
    const stack = new Stack(new App(), 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    expect(() => new UsersDatabase(stack, 'Db', { vpc, snapshotIdentifier: 'snap', storageEncryptionKey: new kms.Key(stack, 'K') }))
      .toThrow(/^Invalid storageEncryptionKey: it cannot be combined with snapshotIdentifier/);
  });
});
