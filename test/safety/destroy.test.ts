/**
 * What `cdk destroy` does, read from the templates: DEVELOPMENT leaves nothing behind in
 * CloudFormation's reach (and nothing outside it that Kubernetes would have created);
 * PRODUCTION keeps or snapshots every data store.
 */
import { DEV_ENV, DEV_PROPS, environmentTemplate, exampleApp, resourcesOfType } from './environments';

const assembly = exampleApp().app.synth();
const dev = assembly.getStackByName('scope-dev').template;
const prod = assembly.getStackByName('scope-prod').template;

const KEEPING_POLICIES = ['Retain', 'Snapshot', 'RetainExceptOnCreate'];
const json = (value: unknown) => JSON.stringify(value);

/** A JSON property value as text; references inside an Fn::Join become the placeholder TOKEN. */
function text(value: any): string {
  if (typeof value === 'string') return value;
  const [delimiter, parts] = value['Fn::Join'];
  return parts.map((p: unknown) => (typeof p === 'string' ? p : 'TOKEN')).join(delimiter);
}

/** Every Kubernetes object the stack applies (manifests), parsed from the custom resources. */
function kubernetesObjects(template: any): any[] {
  return resourcesOfType(template, 'Custom::AWSCDK-EKS-KubernetesResource').flatMap(([, r]) => JSON.parse(text(r.Properties.Manifest)));
}

describe('DEVELOPMENT: cdk destroy leaves nothing behind', () => {
  test('no resource is retained or snapshotted, on delete or on replacement', () => {
    const kept = Object.entries<any>(dev.Resources)
      .filter(([, r]) => KEEPING_POLICIES.includes(r.DeletionPolicy) || KEEPING_POLICIES.includes(r.UpdateReplacePolicy))
      .map(([id, r]) => `${id} (${r.Type}): ${r.DeletionPolicy}/${r.UpdateReplacePolicy}`);
    expect(kept).toEqual([]);
  });

  test('the bucket is emptied before it is deleted, the table and database have no deletion protection', () => {
    const [[bucketId]] = resourcesOfType(dev, 'AWS::S3::Bucket');
    const autoDelete = resourcesOfType(dev, 'Custom::S3AutoDeleteObjects');
    expect(autoDelete.map(([, r]) => r.Properties.BucketName)).toEqual([{ Ref: bucketId }]);
    for (const [, table] of resourcesOfType(dev, 'AWS::DynamoDB::Table')) expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    for (const [, db] of resourcesOfType(dev, 'AWS::RDS::DBInstance')) expect(db.Properties.DeletionProtection).toBe(false);
  });

  test('no log group outlives the stack', () => {
    for (const [, group] of resourcesOfType(dev, 'AWS::Logs::LogGroup')) expect(group.DeletionPolicy).toBe('Delete');
  });

  test('with domain.certificate, ACM\'s validation records are removed between the certificate and the zone (HostedZoneNotEmpty otherwise)', () => {
    const withCertificate = environmentTemplate({ ...DEV_PROPS, domain: { ...DEV_PROPS.domain!, certificate: true } }, 'dev', DEV_ENV);
    const [[zoneId, zone]] = resourcesOfType(withCertificate, 'AWS::Route53::HostedZone');
    expect(zone.DeletionPolicy).toBe('Delete');
    const [[cleanupId, cleanup]] = resourcesOfType(withCertificate, 'Custom::ScopeAcmValidationRecordCleanup');
    expect(cleanup.Properties).toMatchObject({ HostedZoneId: { Ref: zoneId }, RecordNames: ['frontend.dev.scope.example.com'] });
    // CloudFormation deletes in reverse dependency order: certificate, then the cleanup, then the zone.
    const [[, certificate]] = resourcesOfType(withCertificate, 'AWS::CertificateManager::Certificate');
    expect(certificate.DependsOn).toContain(cleanupId);
    expect(certificate.Properties.DomainValidationOptions).toEqual([{ DomainName: 'frontend.dev.scope.example.com', HostedZoneId: { Ref: zoneId } }]);
  });
});

describe.each([['DEVELOPMENT', dev], ['PRODUCTION', prod]])('%s: no load balancer is created outside the stack', (_, template) => {
  test('no Kubernetes Service of type LoadBalancer in any manifest; the helloWorld frontend Service is ClusterIP', () => {
    const objects = kubernetesObjects(template);
    expect(objects.map(o => o.kind)).toContain('TargetGroupBinding');
    const services = objects.filter(o => o.kind === 'Service');
    expect(services.filter(s => s.spec?.type === 'LoadBalancer')).toEqual([]);
    if (template === dev) expect(services.map(s => [s.metadata.name, s.spec.type])).toEqual([['frontend', 'ClusterIP']]);
    // Also in Helm values or anything else the stack sends to the cluster (JSON may be escaped inside strings).
    expect(json(template.Resources)).not.toMatch(/\\*"type\\*":\s*\\*"LoadBalancer|type: LoadBalancer/);
    expect('{"Manifest":"[{\\"spec\\":{\\"type\\":\\"LoadBalancer\\"}}]"}').toMatch(/\\*"type\\*":\s*\\*"LoadBalancer/);
  });

  test('the load balancer controller only binds the stack\'s target group: no Service webhook, no IngressClass, no load balancer rights', () => {
    const [[, chart]] = resourcesOfType(template, 'Custom::AWSCDK-EKS-HelmChart');
    const values = JSON.parse(text(chart.Properties.Values));
    expect(values).toMatchObject({ enableServiceMutatorWebhook: false, createIngressClassResource: false });
    const policies = json(resourcesOfType(template, 'AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument));
    expect(policies).not.toMatch(/elasticloadbalancing:(Create|Delete)LoadBalancer|elasticloadbalancing:\*/);
  });

  test('the frontend load balancer belongs to the stack', () => {
    const balancers = resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(balancers).toHaveLength(1);
    expect(balancers[0][1].DeletionPolicy).toBeUndefined();
  });
});

describe('PRODUCTION: every data store is kept or snapshotted', () => {
  const only = (type: string) => {
    const found = resourcesOfType(prod, type);
    expect(found).toHaveLength(1);
    return found[0][1];
  };

  test('database: final snapshot and deletion protection, turned on by the last step of the deploy', () => {
    const [[dbId, db]] = resourcesOfType(prod, 'AWS::RDS::DBInstance');
    expect([db.DeletionPolicy, db.UpdateReplacePolicy]).toEqual(['Snapshot', 'Snapshot']);
    // A protected instance cannot be deleted by the rollback of a failed first deploy (ROLLBACK_FAILED):
    // the template leaves protection out and the step turns it on after every other resource exists.
    expect(db.Properties.DeletionProtection).toBeUndefined();
    const step = only('Custom::UsersDatabaseDeletionProtection');
    expect(step.Properties).toMatchObject({ DBInstanceIdentifier: { Ref: dbId }, DeletionProtection: true });
    // Every resource of the environment; stack-level singletons (CustomResourceProvider functions) come
    // before it through the environment resources that use them.
    const others = Object.keys(prod.Resources).filter(id => id.startsWith('prod') && !/Database/.test(id));
    expect(others.length).toBeGreaterThan(50);
    expect(others.filter(id => !step.DependsOn.includes(id))).toEqual([]);
  });

  test('a failed first deploy leaves nothing that blocks the retry: a resource kept even then (Retain) has no fixed name', () => {
    // The full check is the rollback model (test/lifecycle/rollback.test.ts); here: Retain only where a leftover cannot collide.
    const retained = Object.entries<any>(prod.Resources).filter(([, r]) => ['Retain', 'RetainExceptOnCreate'].includes(r.DeletionPolicy));
    expect(retained.length).toBeGreaterThanOrEqual(4);
    expect(retained.filter(([, r]) => r.DeletionPolicy === 'Retain').map(([id, r]) => `${r.Type} ${id.replace(/[0-9A-F]{8}$/, '')}`).sort())
      .toEqual(['AWS::KMS::Key prodEncryptionKey', 'AWS::S3::Bucket prodAccessLogsBucket']);
    const access = retained.find(([id]) => /AccessLogsBucket/.test(id))![1];
    expect(access.Properties.BucketName).toBeUndefined();
  });

  test('table: retained, deletion protection by the last step (not the template), point-in-time recovery', () => {
    const table = only('AWS::DynamoDB::Table');
    expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(['RetainExceptOnCreate', 'Retain']);
    expect(table.Properties.DeletionProtectionEnabled).toBeUndefined();
    expect(only('Custom::UsersDatabaseDeletionProtection').Properties.TableName).toBeDefined();
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  test('buckets: reports retained and versioned, access logs retained even after a failed first deploy, never emptied by the stack', () => {
    const buckets = resourcesOfType(prod, 'AWS::S3::Bucket');
    expect(buckets.map(([id]) => id).sort()).toEqual([expect.stringMatching(/AccessLogsBucket/), expect.stringMatching(/ReportsBucket/)]);
    const policies = Object.fromEntries(buckets.map(([id, b]) => [id.replace(/^prod|[0-9A-F]{8}$/g, ''), [b.DeletionPolicy, b.UpdateReplacePolicy]]));
    // The access-log bucket receives logs during the deploy: a rollback could not delete it (src/private/access-logs.ts).
    expect(policies).toEqual({ AccessLogsBucket: ['Retain', 'Retain'], ReportsBucket: ['RetainExceptOnCreate', 'Retain'] });
    const [[, reports]] = buckets.filter(([id]) => /ReportsBucket/.test(id));
    expect(reports.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(resourcesOfType(prod, 'Custom::S3AutoDeleteObjects')).toEqual([]);
  });

  test('zone and VPC flow logs: retained', () => {
    expect(only('AWS::Route53::HostedZone').DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(only('AWS::EC2::FlowLog').Properties.LogDestinationType).toBe('cloud-watch-logs');
    const flowLogGroup = resourcesOfType(prod, 'AWS::Logs::LogGroup').find(([id]) => /FlowLogs/.test(id))![1];
    expect([flowLogGroup.DeletionPolicy, flowLogGroup.Properties.RetentionInDays]).toEqual(['RetainExceptOnCreate', 365]);
  });

  test('KMS keys are never deleted immediately: KMS waits its full pending window (30 days) before deleting', () => {
    const keys = resourcesOfType(prod, 'AWS::KMS::Key');
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const [, key] of keys) expect(key.Properties.PendingWindowInDays ?? 30).toBeGreaterThanOrEqual(30);
  });

  test('the environment key outlives the final snapshot of the HARDENED database it encrypts: Retain', () => {
    const [[keyId, key]] = resourcesOfType(prod, 'AWS::KMS::Key').filter(([id]) => /EncryptionKey/.test(id));
    expect([key.DeletionPolicy, key.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    const [[, db]] = resourcesOfType(prod, 'AWS::RDS::DBInstance');
    expect([db.DeletionPolicy, db.Properties.KmsKeyId]).toEqual(['Snapshot', { 'Fn::GetAtt': [keyId, 'Arn'] }]);
  });

  test('with domain.certificate on the retained zone, the validation records go only when a failed first deploy rolls back', () => {
    const [[zoneId, zone]] = resourcesOfType(prod, 'AWS::Route53::HostedZone');
    expect(zone.DeletionPolicy).toBe('RetainExceptOnCreate');
    const [[cleanupId, cleanup]] = resourcesOfType(prod, 'Custom::ScopeAcmValidationRecordCleanup');
    expect(cleanup.Properties).toMatchObject({ HostedZoneId: { Ref: zoneId }, DeleteRecords: 'OnCreateRollback' });
    const [[, certificate]] = resourcesOfType(prod, 'AWS::CertificateManager::Certificate');
    expect(certificate.DependsOn).toContain(cleanupId);
  });
});
