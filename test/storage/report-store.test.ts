import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ReportStore, ReportStoreProps } from '../../src';

function build(props: ReportStoreProps = {}) {
  const stack = new Stack(new App(), 'Stack');
  const store = new ReportStore(stack, 'Reports', props);
  return { stack, store, template: () => Template.fromStack(stack) };
}

/** Policy statements attached to a role, as synthesized. */
function statementsOf(template: Template): any[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
}

describe('ReportStore table', () => {
  test('keys are hour (S) and ts (N), on demand, encrypted, no physical name', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'hour', KeyType: 'HASH' }, { AttributeName: 'ts', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'hour', AttributeType: 'S' }, { AttributeName: 'ts', AttributeType: 'N' }],
      BillingMode: 'PAY_PER_REQUEST',
      TableName: Match.absent(),
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
      DeletionProtectionEnabled: true,
    });
  });

  test('default removal policy retains the table and the bucket', () => {
    const { template } = build();
    template().hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template().hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    template().resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('DESTROY removes both and empties the bucket first', () => {
    const { template } = build({ removalPolicy: RemovalPolicy.DESTROY });
    template().hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtectionEnabled: false }) });
    template().hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template().resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });

  test('provisioned billing defaults to the old 100 RCU / 200 WCU', () => {
    const { template } = build({ billing: dynamodb.BillingMode.PROVISIONED });
    template().hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: Match.absent(),
      ProvisionedThroughput: { ReadCapacityUnits: 100, WriteCapacityUnits: 200 },
    });
  });

  test('old naming, PITR and a customer key', () => {
    const stack = new Stack(new App(), 'Stack');
    const key = new kms.Key(stack, 'Key');
    new ReportStore(stack, 'Reports', { tableName: 'prod_reports', bucketName: 'prod-reports', pointInTimeRecovery: true, encryptionKey: key });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'prod_reports',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'prod-reports',
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() } })] },
    });
  });
});

describe('ReportStore bucket', () => {
  test('blocks all public access, SSE-S3 by default, TLS-only policy', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      BucketName: Match.absent(),
      VersioningConfiguration: Match.absent(),
    });
    template().hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('versioning and report expiry: incomplete uploads aborted, old versions expire after 35 days, reports after reportExpiration', () => {
    const { template } = build({ versioned: true, reportExpiration: Duration.days(30) });
    template().hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          { Id: 'abort-incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' },
          { Id: 'expire-old-versions', NoncurrentVersionExpiration: { NoncurrentDays: 35 }, Status: 'Enabled' },
          { Id: 'expire-reports', ExpirationInDays: 30, Status: 'Enabled' },
        ],
      },
    });
  });

  test('without versioning or expiry only incomplete uploads are cleaned up; noncurrentVersionExpiration is configurable', () => {
    build().template().hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [{ Id: 'abort-incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 }, Status: 'Enabled' }] },
    });
    build({ versioned: true, noncurrentVersionExpiration: Duration.days(90) }).template().hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([{ Id: 'expire-old-versions', NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }]) },
    });
  });
});

describe('ReportStore grants', () => {
  test('grantWrite is exactly PutItem on the table and PutObject on bucket/*', () => {
    const { stack, store, template } = build();
    const role = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
    store.grantWrite(role);
    expect(statementsOf(template())).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ReportsTable/), 'Arn'] } },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ReportsBucket/), 'Arn'] }, '/*']] } },
    ]);
  });

  test('grantRead is exactly Query/GetItem/BatchGetItem and GetObject', () => {
    const { stack, store, template } = build();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    store.grantRead(role);
    expect(statementsOf(template())).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^ReportsTable/), 'Arn'] } },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^ReportsBucket/), 'Arn'] }, '/*']] } },
    ]);
  });

  test('with a customer key the grants add only the key use they need', () => {
    const stack = new Stack(new App(), 'Stack');
    const store = new ReportStore(stack, 'Reports', { encryptionKey: new kms.Key(stack, 'Key') });
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    store.grantRead(role);
    const kmsActions = statementsOf(Template.fromStack(stack)).filter(s => JSON.stringify(s.Action).includes('kms:')).map(s => s.Action);
    expect(kmsActions.length).toBeGreaterThan(0);
    expect(kmsActions.flat()).toEqual(expect.arrayContaining(['kms:Decrypt']));
    expect(kmsActions.flat()).not.toContain('kms:Encrypt');
  });

  test('existing table and bucket are used, nothing is created', () => {
    const stack = new Stack(new App(), 'Stack');
    const table = dynamodb.Table.fromTableName(stack, 'Old', 'prod_reports');
    const bucket = s3.Bucket.fromBucketName(stack, 'OldBucket', 'prod-reports');
    const store = new ReportStore(stack, 'Reports', { table, bucket });
    const role = new iam.Role(stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
    store.grantWrite(role);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(JSON.stringify(statementsOf(template))).toContain(':table/prod_reports');
    expect(JSON.stringify(statementsOf(template))).toContain(':s3:::prod-reports/*');
  });
});

describe('ReportStore bad input', () => {
  test.each<[string, ReportStoreProps, RegExp]>([
    ['table name too short', { tableName: 'ab' }, /Invalid tableName 'ab'/],
    ['table name with a space', { tableName: 'prod reports' }, /Invalid tableName/],
    ['bucket name with capitals', { bucketName: 'Prod-Reports' }, /Invalid bucketName 'Prod-Reports'.*3 to 63 characters/],
    ['bucket name like an IP address', { bucketName: '192.168.1.1' }, /Invalid bucketName/],
    ['bucket name too long', { bucketName: 'a'.repeat(64) }, /Invalid bucketName/],
    ['capacity below 1', { billing: dynamodb.BillingMode.PROVISIONED, readCapacity: 0 }, /Invalid readCapacity 0: must be a whole number from 1/],
    ['capacity without provisioned billing', { writeCapacity: 5 }, /Invalid writeCapacity: capacity is only allowed with billing: BillingMode.PROVISIONED/],
    ['lifecycle of 0 days', { reportExpiration: Duration.days(0) }, /Invalid reportExpiration \(days\) 0/],
    ['lifecycle of half a day', { reportExpiration: Duration.hours(12) }, /Invalid reportExpiration \(days\) 0.5/],
    ['old versions kept 0 days', { versioned: true, noncurrentVersionExpiration: Duration.days(0) }, /Invalid noncurrentVersionExpiration \(days\) 0/],
    ['envName with capitals', { envName: 'Prod' }, /Invalid envName 'Prod'/],
  ])('%s', (_name, props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('options for a table that is passed in are refused', () => {
    const stack = new Stack(new App(), 'Stack');
    const table = dynamodb.Table.fromTableName(stack, 'Old', 'prod_reports');
    expect(() => new ReportStore(stack, 'Reports', { table, tableName: 'x_reports' })).toThrow(/Invalid table: an existing table was given/);
  });
});
