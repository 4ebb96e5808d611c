/**
 * Encryption at rest, TLS in transit and network exposure, read from the synthesized templates of
 * both example environments (plus pre-created queues, which the example does not have).
 */
import { App, Stack } from 'aws-cdk-lib';
import { exampleApp, PROD_ENV, PROD_PROPS, resourcesOfType } from './environments';
import { ScopeEnvironment } from '../../src';

const example = exampleApp();
const assembly = example.app.synth();
const withQueues = (() => {
  const app = new App();
  const stack = new Stack(app, 'scope-queues', { env: PROD_ENV });
  new ScopeEnvironment(stack, 'prod', { ...PROD_PROPS, queues: { queues: ['events', 'jobs'] } });
  return app.synth().getStackByName(stack.stackName).template;
})();

const TEMPLATES: Array<[string, any]> = [
  ['DEVELOPMENT', assembly.getStackByName('scope-dev').template],
  ['PRODUCTION', assembly.getStackByName('scope-prod').template],
  ['PRODUCTION with pre-created queues', withQueues],
];

const refTo = (id: string) => ({ Ref: id });

/** Logical ID of the environment's customer managed key, if the template has one. */
function environmentKeyId(template: any): string | undefined {
  return resourcesOfType(template, 'AWS::KMS::Key').map(([id]) => id).find(id => /EncryptionKey/.test(id));
}
const json = (value: unknown) => JSON.stringify(value);

/** The TLS-only statement aws-cdk-lib's enforceSSL writes: deny every action when aws:SecureTransport is false. */
function deniesInsecureTransport(document: any): boolean {
  return (document?.Statement ?? []).some((s: any) =>
    s.Effect === 'Deny' && json(s.Principal) === json({ AWS: '*' }) && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
}

describe.each(TEMPLATES)('%s', (_, template) => {
  const resources = (type: string) => resourcesOfType(template, type);

  describe('encryption at rest', () => {
    test('the database storage is encrypted', () => {
      const dbs = resources('AWS::RDS::DBInstance');
      expect(dbs).toHaveLength(1);
      for (const [, db] of dbs) expect(db.Properties.StorageEncrypted).toBe(true);
    });

    test('the table is encrypted: the environment key in PRODUCTION, the AWS owned key in DEVELOPMENT', () => {
      // DynamoDB always encrypts at rest; SSEEnabled false (or absent) selects the AWS owned key, true a KMS key.
      const tables = resources('AWS::DynamoDB::Table');
      expect(tables).toHaveLength(1);
      const key = environmentKeyId(template);
      for (const [, table] of tables) {
        expect(table.Properties.SSESpecification).toEqual(key
          ? { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } }
          : { SSEEnabled: false });
      }
    });

    test('every bucket has default encryption', () => {
      const buckets = resources('AWS::S3::Bucket');
      expect(buckets.length).toBeGreaterThanOrEqual(1);
      for (const [id, bucket] of buckets) {
        const rules = bucket.Properties.BucketEncryption?.ServerSideEncryptionConfiguration ?? [];
        expect({ id, algorithms: rules.map((r: any) => r.ServerSideEncryptionByDefault.SSEAlgorithm) })
          .toEqual({ id, algorithms: [expect.stringMatching(/^(AES256|aws:kms)$/)] });
      }
    });

    test('every queue is encrypted (SQS managed keys or KMS)', () => {
      for (const [id, queue] of resources('AWS::SQS::Queue')) {
        expect({ id, encrypted: queue.Properties.SqsManagedSseEnabled === true || queue.Properties.KmsMasterKeyId !== undefined })
          .toEqual({ id, encrypted: true });
      }
    });

    test('secrets use Secrets Manager encryption (aws/secretsmanager KMS key unless one is given)', () => {
      const secrets = resources('AWS::SecretsManager::Secret');
      expect(secrets).toHaveLength(5);
      for (const [, secret] of secrets) {
        if (secret.Properties.KmsKeyId !== undefined) expect(json(secret.Properties.KmsKeyId)).toMatch(/Key/);
      }
    });

    test('Kubernetes secrets are envelope-encrypted with a rotating KMS key', () => {
      const [[, cluster]] = resources('AWS::EKS::Cluster');
      expect(cluster.Properties.EncryptionConfig).toEqual([{ Provider: { KeyArn: { 'Fn::GetAtt': [expect.stringMatching(/SecretsKey/), 'Arn'] } }, Resources: ['secrets'] }]);
      for (const [, key] of resources('AWS::KMS::Key')) expect(key.Properties.EnableKeyRotation).toBe(true);
    });

    test('node root volumes are encrypted', () => {
      const templates = resources('AWS::EC2::LaunchTemplate');
      expect(templates.length).toBeGreaterThanOrEqual(1);
      for (const [, lt] of templates) {
        const devices = lt.Properties.LaunchTemplateData.BlockDeviceMappings;
        expect(devices.length).toBeGreaterThanOrEqual(1);
        for (const device of devices) expect(device.Ebs.Encrypted).toBe(true);
      }
    });
  });

  describe('the environment key (PRODUCTION default; none in DEVELOPMENT)', () => {
    const key = environmentKeyId(template);
    const keyArn = key && json({ 'Fn::GetAtt': [key, 'Arn'] });

    test('exists in PRODUCTION only, rotates yearly and waits 30 days before deletion', () => {
      if (_ === 'DEVELOPMENT') {
        expect(key).toBeUndefined();
        return;
      }
      expect(key).toBeDefined();
      expect(template.Resources[key!].Properties).toMatchObject({ EnableKeyRotation: true, PendingWindowInDays: 30 });
      // Retained: the key outlives the snapshot the database leaves on delete (src/encryption/key-removal.ts).
      expect(template.Resources[key!].DeletionPolicy).toBe('Retain');
    });

    test('encrypts the reports bucket (with an S3 Bucket Key), queues, log groups and every secret', () => {
      if (!key) return;
      const [[, reports]] = resources('AWS::S3::Bucket').filter(([id]) => /ReportsBucket/.test(id));
      expect(reports.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: JSON.parse(keyArn!) } },
      ]);
      for (const [id, queue] of resources('AWS::SQS::Queue')) expect({ id, key: json(queue.Properties.KmsMasterKeyId) }).toEqual({ id, key: keyArn });
      const logGroups = resources('AWS::Logs::LogGroup');
      expect(logGroups.length).toBeGreaterThanOrEqual(2);
      for (const [id, group] of logGroups) expect({ id, key: json(group.Properties.KmsKeyId) }).toEqual({ id, key: keyArn });
      const secrets = resources('AWS::SecretsManager::Secret');
      expect(secrets).toHaveLength(5);
      for (const [id, secret] of secrets) expect({ id, key: json(secret.Properties.KmsKeyId) }).toEqual({ id, key: keyArn });
    });

    test('key policy: CloudWatch Logs only for log groups of this account and region; grants only for AWS services', () => {
      if (!key) return;
      const statements: any[] = template.Resources[key].Properties.KeyPolicy.Statement;
      const logs = statements.find(s => s.Sid === 'CloudWatchLogsOfThisAccount');
      expect(logs).toEqual({
        Sid: 'CloudWatchLogsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:222222222222:log-group:*']] } } },
      });
      // The only service principals: CloudWatch Logs (above) and CloudWatch alarms publishing to the encrypted alarm topic.
      expect(statements.filter(s => s.Principal?.Service).map(s => [s.Sid, s.Principal.Service])).toEqual([
        ['CloudWatchLogsOfThisAccount', 'logs.eu-west-1.amazonaws.com'],
        ['AllowCloudWatchAlarmsToPublish', 'cloudwatch.amazonaws.com'],
      ]);
    });
  });

  test('every log group has a retention: at least 365 days in PRODUCTION (CT.CLOUDWATCH.PR.2), 30 in DEVELOPMENT', () => {
    const groups = resources('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(1);
    for (const [id, group] of groups) {
      expect({ id, days: group.Properties.RetentionInDays }).toEqual({ id, days: _ === 'DEVELOPMENT' ? 30 : 365 });
    }
    // The exported PostgreSQL log group is made by the bootstrap with the same retention (PRODUCTION).
    const [[, bootstrap]] = resources('Custom::UsersDatabaseBootstrap');
    expect(bootstrap.Properties.LogRetentionDays).toBe(_ === 'DEVELOPMENT' ? undefined : 365);
  });

  test('every KMS key denies kms:CreateGrant unless an AWS service asks for its own resource (CT.KMS.PR.3)', () => {
    const keys = resources('AWS::KMS::Key');
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const [id, key] of keys) {
      expect({ id, deny: key.Properties.KeyPolicy.Statement.find((s: any) => s.Effect === 'Deny') }).toEqual({
        id,
        deny: {
          Sid: 'GrantsOnlyForAwsServices',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'kms:CreateGrant',
          Resource: '*',
          Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
        },
      });
    }
  });

  describe('TLS only', () => {
    test('every bucket denies requests without TLS', () => {
      const policies = resources('AWS::S3::BucketPolicy');
      for (const [id] of resources('AWS::S3::Bucket')) {
        const policy = policies.find(([, p]) => json(p.Properties.Bucket) === json(refTo(id)));
        expect({ id, tlsOnly: deniesInsecureTransport(policy?.[1].Properties.PolicyDocument) }).toEqual({ id, tlsOnly: true });
      }
    });

    test('every queue denies requests without TLS', () => {
      const policies = resources('AWS::SQS::QueuePolicy');
      for (const [id] of resources('AWS::SQS::Queue')) {
        const policy = policies.find(([, p]) => json(p.Properties.Queues).includes(json(refTo(id))));
        expect({ id, tlsOnly: deniesInsecureTransport(policy?.[1].Properties.PolicyDocument) }).toEqual({ id, tlsOnly: true });
      }
    });

    test('the database forces TLS (rds.force_ssl)', () => {
      const [[, params]] = resources('AWS::RDS::DBParameterGroup');
      expect(params.Properties.Parameters['rds.force_ssl']).toBe('1');
    });
  });

  describe('network', () => {
    test('the database is not publicly accessible and sits in subnets without a route to the internet gateway', () => {
      const [[, db]] = resources('AWS::RDS::DBInstance');
      expect(db.Properties.PubliclyAccessible).toBe(false);
      const subnetGroup = template.Resources[db.Properties.DBSubnetGroupName.Ref];
      const subnetIds: string[] = subnetGroup.Properties.SubnetIds.map((s: any) => s.Ref);
      expect(subnetIds.length).toBeGreaterThanOrEqual(2);
      const igws = resources('AWS::EC2::InternetGateway').map(([id]) => id);
      expect(igws).toHaveLength(1);
      for (const subnetId of subnetIds) {
        expect(template.Resources[subnetId].Properties.MapPublicIpOnLaunch).toBe(false);
        const [, association] = resources('AWS::EC2::SubnetRouteTableAssociation').find(([, a]) => a.Properties.SubnetId.Ref === subnetId)!;
        const routes = resources('AWS::EC2::Route').filter(([, r]) => json(r.Properties.RouteTableId) === json(association.Properties.RouteTableId));
        expect(routes.length).toBeGreaterThanOrEqual(1);
        for (const [, route] of routes) expect(igws).not.toContain(route.Properties.GatewayId?.Ref);
      }
    });

    test('the database security group admits security groups only: no CIDR, no prefix list', () => {
      const [[, db]] = resources('AWS::RDS::DBInstance');
      const groups = db.Properties.VPCSecurityGroups.map((g: any) => g['Fn::GetAtt'][0]);
      expect(groups).toHaveLength(1);
      const [dbGroup] = groups;
      const inline = template.Resources[dbGroup].Properties.SecurityGroupIngress ?? [];
      const separate = resources('AWS::EC2::SecurityGroupIngress')
        .filter(([, r]) => json(r.Properties.GroupId) === json({ 'Fn::GetAtt': [dbGroup, 'GroupId'] }))
        .map(([, r]) => r.Properties);
      const rules = [...inline, ...separate];
      expect(rules.length).toBeGreaterThanOrEqual(2); // the cluster and the bootstrap function
      for (const rule of rules) {
        expect(rule.SourceSecurityGroupId).toBeDefined();
        expect(rule.CidrIp ?? rule.CidrIpv6 ?? rule.SourcePrefixListId).toBeUndefined();
      }
    });

    test('nothing is open to 0.0.0.0/0 or ::/0 except the frontend load balancer on its listener ports', () => {
      // HTTP, plus HTTPS where the domain has a certificate (the example's prod).
      const listenerPorts = resources('AWS::ElasticLoadBalancingV2::Listener').map(([, l]) => l.Properties.Port).sort();
      expect(listenerPorts).toEqual(resources('AWS::CertificateManager::Certificate').length ? [443, 80] : [80]);
      const open: string[] = [];
      const check = (groupId: string, rule: any) => {
        if (rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0') open.push(`${groupId} ${rule.IpProtocol} ${rule.FromPort}-${rule.ToPort}`);
      };
      for (const [id, group] of resources('AWS::EC2::SecurityGroup')) {
        for (const rule of group.Properties.SecurityGroupIngress ?? []) check(id, rule);
      }
      for (const [, rule] of resources('AWS::EC2::SecurityGroupIngress')) check(rule.Properties.GroupId['Fn::GetAtt']?.[0] ?? json(rule.Properties.GroupId), rule.Properties);
      expect(open.sort()).toEqual(listenerPorts.map(port => expect.stringMatching(new RegExp(`^[A-Za-z0-9]*FrontendSecurityGroup[A-Za-z0-9]* tcp ${port}-${port}$`))));
    });
  });
});
