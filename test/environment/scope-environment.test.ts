import { App, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { transitiveDependencies } from './template-graph';
import { EnvironmentProfile, ScopeEnvironment, ScopeEnvironmentProps } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };

function synth(props: ScopeEnvironmentProps, id = 'dev') {
  const stack = new Stack(new App(), `scope-${id}`, { env: ENV });
  const environment = new ScopeEnvironment(stack, id, props);
  return { stack, environment, template: Template.fromStack(stack) };
}

// Synthesizing an environment takes a few seconds: build each profile once.
const dev = synth({ domain: { zoneName: 'dev.scope.example.com' } });
const prod = synth({ profile: EnvironmentProfile.PRODUCTION, domain: { zoneName: 'prod.scope.example.com' } }, 'prod');

function onlyResource(template: Template, type: string): any {
  const resources = Object.values(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

describe('DEVELOPMENT profile defaults', () => {
  test('envName is the construct id, profile is DEVELOPMENT', () => {
    expect(dev.environment.envName).toBe('dev');
    expect(dev.environment.profile).toBe(EnvironmentProfile.DEVELOPMENT);
  });

  test('VPC over 2 AZs with 1 NAT gateway', () => {
    dev.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    dev.template.resourceCountIs('AWS::EC2::Subnet', 4);
  });

  test('2 Graviton Spot nodes (at least 10 types, t4g.medium first), min = max = desired, prefix delegation, 1 controller', () => {
    dev.template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ScalingConfig: { MinSize: 2, MaxSize: 2, DesiredSize: 2 },
      CapacityType: 'SPOT',
      AmiType: 'AL2023_ARM_64_STANDARD',
    });
    const types: string[] = onlyResource(dev.template, 'AWS::EKS::Nodegroup').Properties.InstanceTypes;
    expect(types[0]).toBe('t4g.medium');
    expect(new Set(types).size).toBeGreaterThanOrEqual(10);
    for (const t of types) expect(t).toMatch(/^[a-z]\d+g\.(medium|large)$/);
    dev.template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'vpc-cni', ConfigurationValues: Match.stringLikeRegexp('"ENABLE_PREFIX_DELEGATION":"true"') });
    const chart = onlyResource(dev.template, 'Custom::AWSCDK-EKS-HelmChart');
    expect(JSON.stringify(chart.Properties.Values)).toContain('\\"replicaCount\\":1');
  });

  test('cluster on the default Kubernetes version, upgraded by EKS at the end of standard support (never billed for extended support)', () => {
    expect(onlyResource(dev.template, 'AWS::EKS::Cluster').Properties).toMatchObject({ Version: '1.36', UpgradePolicy: { SupportType: 'STANDARD' } });
    expect(onlyResource(dev.template, 'AWS::EKS::Nodegroup').Properties.Version).toBe('1.36');
  });

  test('database: single-AZ, 1-day backups, no deletion protection, removed on destroy', () => {
    const db = onlyResource(dev.template, 'AWS::RDS::DBInstance');
    expect(db.Properties).toMatchObject({ MultiAZ: false, BackupRetentionPeriod: 1, DeletionProtection: false, DeleteAutomatedBackups: true });
    expect(db.DeletionPolicy).toBe('Delete');
  });

  test('table and bucket removed on destroy, bucket emptied first, no PITR, no versioning', () => {
    const table = onlyResource(dev.template, 'AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: false });
    const bucket = onlyResource(dev.template, 'AWS::S3::Bucket');
    expect(bucket.DeletionPolicy).toBe('Delete');
    expect(bucket.Properties.VersioningConfiguration).toBeUndefined();
    dev.template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });

  test('zone removed on destroy', () => {
    expect(onlyResource(dev.template, 'AWS::Route53::HostedZone').DeletionPolicy).toBe('Delete');
  });

  test('nothing is retained or snapshotted', () => {
    const kept = Object.entries(dev.template.toJSON().Resources)
      .filter(([, r]: [string, any]) => ['Retain', 'Snapshot', 'RetainExceptOnCreate'].includes(r.DeletionPolicy))
      .map(([id, r]: [string, any]) => `${id} (${r.Type})`);
    expect(kept).toEqual([]);
  });
});

describe('PRODUCTION profile defaults', () => {
  test('VPC over 3 AZs with a NAT gateway per AZ', () => {
    prod.template.resourceCountIs('AWS::EC2::NatGateway', 3);
    prod.template.resourceCountIs('AWS::EC2::Subnet', 6);
  });

  test('3 on-demand nodes: min = max = desired, no prefix delegation, 2 controllers', () => {
    prod.template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ScalingConfig: { MinSize: 3, MaxSize: 3, DesiredSize: 3 }, InstanceTypes: ['m7i.large'], CapacityType: Match.absent(), // create-only: left out as earlier releases did
    });
    prod.template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'vpc-cni', ConfigurationValues: Match.absent() });
    const chart = onlyResource(prod.template, 'Custom::AWSCDK-EKS-HelmChart');
    expect(JSON.stringify(chart.Properties.Values)).toContain('\\"replicaCount\\":2');
  });

  test('cluster stays on its version past standard support (extended support) until upgraded', () => {
    expect(onlyResource(prod.template, 'AWS::EKS::Cluster').Properties).toMatchObject({ Version: '1.36', UpgradePolicy: { SupportType: 'EXTENDED' } });
  });

  test('database: multi-AZ, 14-day backups, deletion protection, snapshot on destroy, automated backups kept', () => {
    const db = onlyResource(prod.template, 'AWS::RDS::DBInstance');
    expect(db.Properties).toMatchObject({ MultiAZ: true, BackupRetentionPeriod: 14, DeleteAutomatedBackups: false });
    // Deletion protection comes from the last step of the first deploy, not the template.
    expect(db.Properties.DeletionProtection).toBeUndefined();
    expect(onlyResource(prod.template, 'Custom::UsersDatabaseDeletionProtection').Properties.DeletionProtection).toBe(true);
    expect(db.DeletionPolicy).toBe('Snapshot');
    expect(db.UpdateReplacePolicy).toBe('Snapshot');
  });

  test('table and bucket retained, point-in-time recovery, versioned bucket', () => {
    const table = onlyResource(prod.template, 'AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    // Turned on by the last step (below), not stated in the template: a failed first deploy can delete it.
    expect(table.Properties.DeletionProtectionEnabled).toBeUndefined();
    const buckets = prod.template.findResources('AWS::S3::Bucket');
    const bucket = Object.entries<any>(buckets).find(([id]) => /ReportsBucket/.test(id))![1];
    expect(bucket.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    prod.template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('hardening defaults: environment key, database monitoring, IAM authentication and log exports, access logs', () => {
    const keys = Object.keys(prod.template.findResources('AWS::KMS::Key'));
    expect(keys).toEqual(expect.arrayContaining([expect.stringMatching(/^prodEncryptionKey/)]));
    const db = onlyResource(prod.template, 'AWS::RDS::DBInstance');
    expect(db.Properties).toMatchObject({
      MonitoringInterval: 60,
      EnableIAMDatabaseAuthentication: true,
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
      // HARDENED by default: no default admin name or port, storage and master secret under the environment key.
      MasterUsername: 'scope_admin',
      Port: '5433',
      ManageMasterUserPassword: true,
      MasterUserSecret: { KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^prodEncryptionKey/), 'Arn'] } },
    });
    expect(db.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^prodEncryptionKey/), 'Arn'] });
    const bucket = Object.entries<any>(prod.template.findResources('AWS::S3::Bucket')).find(([id]) => /ReportsBucket/.test(id))![1];
    expect(bucket.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: expect.stringMatching(/^prodAccessLogsBucket/) }, LogFilePrefix: 'prod-reports/' });
    // Object events go to the default EventBridge bus, set on the bucket itself (no notifications custom resource).
    expect(bucket.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    prod.template.resourceCountIs('Custom::S3BucketNotifications', 0);
    const logs = Object.entries<any>(prod.template.findResources('AWS::S3::Bucket')).find(([id]) => /AccessLogsBucket/.test(id))![1];
    expect(logs.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    expect(logs.Properties.LifecycleConfiguration.Rules).toEqual([
      { Id: 'expire-logs', ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 1 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' },
      { Id: 'remove-expired-delete-markers', ExpiredObjectDeleteMarker: true, Status: 'Enabled' },
    ]);
  });

  test('zone retained', () => {
    expect(onlyResource(prod.template, 'AWS::Route53::HostedZone').DeletionPolicy).toBe('RetainExceptOnCreate');
  });
});

describe('props win over the profile', () => {
  const { template, environment } = synth({
    profile: EnvironmentProfile.PRODUCTION,
    envName: 'staging',
    cluster: { nodeCount: 5, instanceType: new ec2.InstanceType('m7i.xlarge') },
    database: { multiAz: false },
    reports: { pointInTimeRecovery: false, tableName: 'staging_reports' },
    queues: { queuePrefix: 'stg_ctl_' },
  }, 'stagingenv');

  test('explicit values are used', () => {
    expect(environment.envName).toBe('staging');
    template.hasResourceProperties('AWS::EKS::Nodegroup', { ScalingConfig: { MinSize: 5, MaxSize: 5, DesiredSize: 5 }, InstanceTypes: ['m7i.xlarge'] });
    // An instanceType given replaces DEVELOPMENT's list of Spot types; the capacity type stays the profile's.
    synth({ cluster: { instanceType: new ec2.InstanceType('m7g.large') } }, 'typed').template
      .hasResourceProperties('AWS::EKS::Nodegroup', { InstanceTypes: ['m7g.large'], CapacityType: 'SPOT' });
    template.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: false, BackupRetentionPeriod: 14 });
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'staging_reports', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false } });
    expect(environment.queues.queuePrefix).toBe('stg_ctl_');
    template.hasResourceProperties('AWS::IAM::User', { UserName: 'staging_report_writer' });
  });

  test('no domain: no zone', () => {
    expect(environment.dns).toBeUndefined();
    template.resourceCountIs('AWS::Route53::HostedZone', 0);
  });

  test('a given VPC is used, none is created', () => {
    const stack = new Stack(new App(), 'Given', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Shared', { maxAzs: 2, natGateways: 1 });
    const given = new ScopeEnvironment(stack, 'dev', { vpc });
    expect(given.vpc).toBe(vpc);
    Template.fromStack(stack).resourceCountIs('AWS::EC2::VPC', 1);
  });
});

describe('wiring', () => {
  test('the database admits 5432 only from the cluster and its own bootstrap function', () => {
    const t = dev.template.toJSON();
    const dbSg = onlyResource(dev.template, 'AWS::RDS::DBInstance').Properties.VPCSecurityGroups[0]['Fn::GetAtt'][0];
    expect(JSON.stringify(t.Resources[dbSg].Properties.SecurityGroupIngress ?? [])).not.toContain('CidrIp');
    const ingress = Object.values<any>(t.Resources)
      .filter(r => r.Type === 'AWS::EC2::SecurityGroupIngress' && r.Properties.GroupId?.['Fn::GetAtt']?.[0] === dbSg);
    const sources = ingress.map(r => JSON.stringify(r.Properties.SourceSecurityGroupId)).sort();
    const dbId = Object.keys(dev.template.findResources('AWS::RDS::DBInstance'))[0];
    const dbPort = { 'Fn::GetAtt': [dbId, 'Endpoint.Port'] };
    const ports = ingress.map(r => [r.Properties.FromPort, r.Properties.ToPort, r.Properties.CidrIp]);
    expect(ports).toEqual(ingress.map(() => [dbPort, dbPort, undefined]));
    expect(sources).toHaveLength(2);
    expect(sources.some(s => s.includes('ClusterSecurityGroupId'))).toBe(true);
    expect(sources.some(s => s.includes('Bootstrap'))).toBe(true);
  });

  test('database, its bootstrap and storage never wait for the cluster (they deploy in parallel)', () => {
    const t = dev.template.toJSON();
    const clusterIds = Object.keys(dev.template.findResources('AWS::EKS::Cluster'));
    const stateful = ['AWS::RDS::DBInstance', 'Custom::UsersDatabaseBootstrap', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket']
      .flatMap(type => Object.keys(dev.template.findResources(type)));
    for (const id of stateful) {
      const waits = transitiveDependencies(t, id);
      expect({ id, waitsForCluster: clusterIds.filter(c => waits.has(c)) }).toEqual({ id, waitsForCluster: [] });
    }
  });

  test('the database bootstrap runs after the database instance', () => {
    const t = dev.template.toJSON();
    const bootstrap = Object.keys(t.Resources).find(id => t.Resources[id].Type.startsWith('Custom::') && id.includes('Bootstrap'))!;
    const dbId = Object.keys(dev.template.findResources('AWS::RDS::DBInstance'))[0];
    expect(transitiveDependencies(t, bootstrap).has(dbId)).toBe(true);
  });

  test('the frontend record aliases the cluster load balancer', () => {
    const lbId = Object.keys(dev.template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
    dev.template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'frontend.dev.scope.example.com.',
      Type: 'A',
      AliasTarget: Match.objectLike({ DNSName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ 'Fn::GetAtt': [lbId, 'DNSName'] }])]) }) }),
    });
  });

  test('every resource carries scope:environment=<envName>', () => {
    for (const type of ['AWS::EC2::VPC', 'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::RDS::DBInstance', 'AWS::Route53::HostedZone', 'AWS::IAM::User']) {
      const tags = JSON.stringify(Object.values<any>(dev.template.findResources(type)).map(r => r.Properties.Tags ?? r.Properties.HostedZoneTags));
      expect({ type, tagged: tags.includes('"Key":"scope:environment","Value":"dev"') }).toEqual({ type, tagged: true });
    }
  });

  test('adding a tag changes no node launch template (it would replace every node)', () => {
    const launchTemplate = (template: Template) => onlyResource(template, 'AWS::EC2::LaunchTemplate').Properties.LaunchTemplateData;
    const tagged = synth({ tags: { 'cost-center': 'scope' } });
    const taggedLater = synth({});
    Tags.of(taggedLater.environment).add('owner', 'platform');
    expect(launchTemplate(tagged.template)).toEqual(launchTemplate(dev.template));
    expect(launchTemplate(Template.fromStack(taggedLater.stack))).toEqual(launchTemplate(dev.template));
    tagged.template.hasResourceProperties('AWS::DynamoDB::Table', { Tags: Match.arrayWith([{ Key: 'cost-center', Value: 'scope' }]) });
  });

  test('extra tags from the tags prop', () => {
    const { template } = synth({ tags: { 'cost-center': 'scope' } }, 'tagged');
    template.hasResourceProperties('AWS::DynamoDB::Table', { Tags: Match.arrayWith([{ Key: 'cost-center', Value: 'scope' }]) });
  });
});

describe('outputs', () => {
  const outputs = dev.template.toJSON().Outputs as Record<string, any>;
  const byName = (name: string) => outputs[`Dev${name}`];

  test.each([
    'KubeconfigCommand', 'FrontendUrl', 'ZoneNameServers', 'DatabaseEndpoint', 'DatabaseAppSecretArn', 'ReportsTableName',
    'ReportsBucketName', 'ControlQueuePrefix', 'ReportWriterSecretArn', 'ReportReaderSecretArn', 'QueueReadWriterSecretArn',
  ])('Dev%s: a stable key (no hash) with a description, not exported by default', (name) => {
    const output = byName(name);
    expect(output).toBeDefined();
    expect(output.Description.length).toBeGreaterThan(10);
    expect(output.Export).toBeUndefined();
  });

  test('output keys are <EnvName><Key> for multi-word names too, and exportOutputs exports them as scope-<envName>-<Key>', () => {
    const stack = new Stack(new App(), 'Keys', { env: ENV });
    new ScopeEnvironment(stack, 'x', { envName: 'eu-staging', exportOutputs: true });
    const keyed = stack.resolve((Template.fromStack(stack).toJSON().Outputs as Record<string, any>).EuStagingFrontendUrl);
    expect(keyed.Export).toEqual({ Name: 'scope-eu-staging-FrontendUrl' });
  });

  test('without any admin principal, synth warns which prop to set; the kubeconfig command has no --role-arn', () => {
    Annotations.fromStack(dev.stack).hasWarning('/scope-dev/dev/Cluster', Match.stringLikeRegexp('No IAM principal has cluster-admin access.*cluster\\.adminRoles'));
    expect(byName('KubeconfigCommand').Value['Fn::Join'][1].join('')).not.toContain('--role-arn');
  });

  test('with an admin role given by ARN, no warning and the kubeconfig command assumes it', () => {
    const arn = 'arn:aws:iam::111111111111:role/ops';
    const { stack, template } = synth({ cluster: { adminPrincipalArns: ['arn:aws:iam::111111111111:user/alice', arn] } });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('No IAM principal has cluster-admin access'));
    expect(JSON.stringify(template.toJSON().Outputs.DevKubeconfigCommand.Value)).toContain(`--role-arn ${arn}`);
  });

  test('the frontend URL uses the DNS name', () => {
    expect(byName('FrontendUrl').Value).toBe('http://frontend.dev.scope.example.com/');
  });

  test('no output carries a secret value', () => {
    const text = JSON.stringify(outputs);
    expect(text).not.toMatch(/SecretAccessKey|SecretString|password|resolve:secretsmanager/i);
  });
});

describe('two environments never collide', () => {
  test('the same envName twice in one account is a synth error naming both construct paths', () => {
    const app = new App();
    new ScopeEnvironment(new Stack(app, 'scope-a', { env: ENV }), 'dev');
    expect(() => new ScopeEnvironment(new Stack(app, 'scope-b', { env: { ...ENV, region: 'us-east-1' } }), 'dev'))
      .toThrow(/^Invalid envName 'dev': ScopeEnvironment scope-a\/dev already uses it in account 111111111111; .* \(in scope-b\/dev\)$/);
  });

  test('the same envName in different accounts, or in stacks whose account is known only at deploy time, is fine', () => {
    const app = new App();
    new ScopeEnvironment(new Stack(app, 'scope-a', { env: ENV }), 'dev');
    new ScopeEnvironment(new Stack(app, 'scope-b', { env: { ...ENV, account: '222222222222' } }), 'dev');
    new ScopeEnvironment(new Stack(app, 'scope-c'), 'dev');
    expect(() => new ScopeEnvironment(new Stack(app, 'scope-d'), 'dev')).not.toThrow();
  });

  test('in one app, one stack each', () => {
    const app = new App();
    for (const id of ['dev', 'staging']) new ScopeEnvironment(new Stack(app, `scope-${id}`, { env: ENV }), id);
    expect(() => app.synth()).not.toThrow();
  });

  test('in one stack', () => {
    const stack = new Stack(new App(), 'Both', { env: ENV });
    const a = new ScopeEnvironment(stack, 'blue');
    const b = new ScopeEnvironment(stack, 'green', { domain: { zoneName: 'green.example.com' } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Cluster', 2);
    template.resourceCountIs('AWS::RDS::DBInstance', 2);
    expect(a.queues.queuePrefix).not.toBe(b.queues.queuePrefix);
    const userNames = Object.values<any>(template.findResources('AWS::IAM::User')).map(u => u.Properties.UserName);
    expect(new Set(userNames).size).toBe(6);
    const hardNamed = Object.values<any>(template.toJSON().Resources)
      .filter(r => ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::EKS::Cluster', 'AWS::RDS::DBInstance', 'AWS::SecretsManager::Secret'].includes(r.Type))
      .filter(r => r.Properties.TableName || r.Properties.BucketName || r.Properties.Name || r.Properties.DBInstanceIdentifier);
    expect(hardNamed).toEqual([]);
  });
});

describe('bad input', () => {
  test.each<[string, string, ScopeEnvironmentProps, RegExp]>([
    ['construct id that is not a valid env name', 'Prod', {}, /Invalid envName \(defaulted from the construct id\) 'Prod'/],
    ['envName too long', 'x', { envName: 'a'.repeat(21) }, /Invalid envName 'a{21}'/],
    ['envName starting with a digit', 'x', { envName: '1prod' }, /Invalid envName '1prod'/],
    ['domain.certificate without port 443', 'x', { domain: { zoneName: 'x.example.com', certificate: true }, cluster: { frontend: { ports: [80] } } },
      /Invalid cluster\.frontend\.ports \[80\]: domain\.certificate serves HTTPS on port 443; include 443/],
    ['domain.certificate and a frontend certificate', 'x', {
      domain: { zoneName: 'x.example.com', certificate: true },
      cluster: { frontend: { ports: [443], certificate: acm.Certificate.fromCertificateArn(new Stack(), 'C', 'arn:aws:acm:eu-west-1:111111111111:certificate/x') } },
    }, /Invalid cluster\.frontend\.certificate: domain\.certificate already gives the frontend its certificate/],
  ])('%s', (_name, id, props, message) => {
    expect(() => synth(props, id)).toThrow(message);
  });
});

describe('compliance settings (AWS Control Tower, README "Compliance")', () => {
  const attributes = (template: Template): Record<string, string> => {
    const lb = onlyResource(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    return Object.fromEntries(lb.Properties.LoadBalancerAttributes.map((a: any) => [a.Key, a.Value]));
  };
  const launchTemplateData = (template: Template) => onlyResource(template, 'AWS::EC2::LaunchTemplate').Properties.LaunchTemplateData;

  test('PRODUCTION: detailed monitoring on the nodes; deletion protection on the load balancer by the last step, not the template', () => {
    expect(launchTemplateData(prod.template).Monitoring).toEqual({ Enabled: true });
    expect(attributes(prod.template)['deletion_protection.enabled']).toBeUndefined();
    const [lbId] = Object.keys(prod.template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    expect(onlyResource(prod.template, 'Custom::UsersDatabaseDeletionProtection').Properties.LoadBalancerArn).toEqual({ Ref: lbId });
  });

  test('PRODUCTION: one last step protects the database, the load balancer and the table, with exactly these permissions, after everything else', () => {
    const t = prod.template.toJSON();
    const [stepId] = Object.keys(prod.template.findResources('Custom::UsersDatabaseDeletionProtection'));
    const [dbId] = Object.keys(prod.template.findResources('AWS::RDS::DBInstance'));
    const [lbId] = Object.keys(prod.template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    const [tableId] = Object.keys(prod.template.findResources('AWS::DynamoDB::Table'));
    const step = t.Resources[stepId];
    expect(step.Properties).toMatchObject({ DBInstanceIdentifier: { Ref: dbId }, LoadBalancerArn: { Ref: lbId }, TableName: { Ref: tableId } });
    const policies = Object.values<any>(prod.template.findResources('AWS::IAM::Policy')).filter(p => step.DependsOn.includes(p.Properties.PolicyName));
    const [policy] = Object.values<any>(prod.template.findResources('AWS::IAM::Policy')).filter(p => /DeletionProtectionPolicy/.test(p.Properties.PolicyName));
    expect(policies).toContainEqual(policy);
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['rds:ModifyDBInstance', 'rds:DescribeDBInstances'], Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:eu-west-1:111111111111:db:', { Ref: dbId }]] } },
      { Effect: 'Allow', Action: 'elasticloadbalancing:ModifyLoadBalancerAttributes', Resource: { Ref: lbId } },
      { Effect: 'Allow', Action: ['dynamodb:UpdateTable', 'dynamodb:DescribeTable'], Resource: { 'Fn::GetAtt': [tableId, 'Arn'] } },
    ]);
    // Every resource outside the database's own (which the step follows through the bootstrap) comes first.
    const others = Object.keys(t.Resources).filter(id => !/Database/.test(id) && t.Resources[id].Type !== 'AWS::CDK::Metadata');
    expect(others.filter(id => !transitiveDependencies(t, stepId).has(id))).toEqual([]);
  });

  test('PRODUCTION: load balancer access logs go to the access-log bucket under <envName>-frontend', () => {
    const [bucketId] = Object.keys(prod.template.findResources('AWS::S3::Bucket')).filter(id => id.includes('AccessLogs'));
    expect(attributes(prod.template)).toMatchObject({
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.bucket': { Ref: bucketId },
      'access_logs.s3.prefix': 'prod-frontend',
    });
  });

  test('DEVELOPMENT: neither (cdk destroy removes the load balancer; basic monitoring is free)', () => {
    expect(launchTemplateData(dev.template).Monitoring).toBeUndefined();
    expect(attributes(dev.template)['deletion_protection.enabled']).toBe('false');
    expect(attributes(dev.template)['access_logs.s3.enabled']).toBeUndefined();
  });

  test('props win: cluster.detailedMonitoring and cluster.frontend.deletionProtection', () => {
    const { template } = synth({ profile: EnvironmentProfile.PRODUCTION, cluster: { detailedMonitoring: false, frontend: { deletionProtection: false } } }, 'plain');
    expect(launchTemplateData(template).Monitoring).toBeUndefined();
    expect(attributes(template)['deletion_protection.enabled']).toBe('false');
    expect(onlyResource(template, 'Custom::UsersDatabaseDeletionProtection').Properties.LoadBalancerArn).toBeUndefined();
  });

  test.each([['DEVELOPMENT', dev], ['PRODUCTION', prod]])('%s: public subnets assign no public IPs', (_, env) => {
    const publicSubnets = Object.values<any>(env.template.findResources('AWS::EC2::Subnet'))
      .filter(subnet => subnet.Properties.Tags.some((t: any) => t.Key === 'aws-cdk:subnet-type' && t.Value === 'Public'));
    expect(publicSubnets.length).toBeGreaterThanOrEqual(2);
    for (const subnet of publicSubnets) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
  });

  test('the kubectl functions run in the VPC with their own security group, which the Kubernetes API admits on 443 only', () => {
    const t = prod.template;
    const [sgId] = Object.entries<any>(t.findResources('AWS::EC2::SecurityGroup'))
      .find(([, sg]) => sg.Properties.GroupDescription.startsWith('kubectl/helm functions'))!;
    const kubectlFunctions = Object.values<any>(t.findResources('AWS::Lambda::Function'))
      .filter(fn => JSON.stringify(fn.Properties.VpcConfig?.SecurityGroupIds ?? []).includes(sgId));
    expect(kubectlFunctions).toHaveLength(2);
    const [clusterId] = Object.keys(t.findResources('AWS::EKS::Cluster'));
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [clusterId, 'ClusterSecurityGroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^kubectl/helm functions'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
    });
  });

  test('every Lambda function of PRODUCTION runs in the VPC, and there are at most 6 (the bootstrap provider has isComplete)', () => {
    const functions = Object.entries<any>(prod.template.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeLessThanOrEqual(6);
    expect(functions.filter(([, fn]) => !fn.Properties.VpcConfig?.SubnetIds).map(([id]) => id)).toEqual([]);
  });
});

describe('HTTPS frontend (domain.certificate)', () => {
  const https = synth({ domain: { zoneName: 'tls.scope.example.com', certificate: true }, cluster: { helloWorld: true } }, 'tls');
  const outputs = https.template.toJSON().Outputs as Record<string, any>;

  test('the load balancer serves TLS on 443 with the DNS certificate and keeps port 80, both to the one target group', () => {
    const [certId] = Object.keys(https.template.findResources('AWS::CertificateManager::Certificate'));
    const [tgId] = Object.keys(https.template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'));
    https.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'TLS',
      Certificates: [{ CertificateArn: { Ref: certId } }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: tgId } }],
    });
    https.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'TCP' });
    https.template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
    https.template.hasResourceProperties('AWS::CertificateManager::Certificate', { DomainName: 'frontend.tls.scope.example.com' });
  });

  test('FrontendUrl is https://frontend.<zone>/', () => {
    expect(outputs.TlsFrontendUrl.Value).toBe('https://frontend.tls.scope.example.com/');
  });

  test('cluster.frontend.ports [443] drops plain HTTP', () => {
    const { template } = synth({ domain: { zoneName: 'tls.scope.example.com', certificate: true }, cluster: { frontend: { ports: [443] } } }, 'tlsonly');
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'TLS' });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Frontend load balancer'),
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })],
    });
  });

  test('without a frontend the certificate is still made, and nothing else changes', () => {
    const { template } = synth({ domain: { zoneName: 'tls.scope.example.com', certificate: true }, cluster: { frontend: { enabled: false } } }, 'nofront');
    template.resourceCountIs('AWS::CertificateManager::Certificate', 1);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 0);
  });
});
