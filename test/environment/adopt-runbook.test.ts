/**
 * README "Moving an existing runbook environment": the old table `<env>_reports`, bucket
 * `<env>-reports` and hosted zone are adopted with `cdk import`. These tests check that they
 * synthesize the way an import needs them:
 * - a resource type CloudFormation can import, with the physical name the import identifies it by;
 * - a DeletionPolicy (the import requires one) that keeps the data: Retain;
 * - no Ref/GetAtt to any resource outside the import set: cdk import submits the deployed
 *   template plus only the imported resources, so a reference to a resource that does not exist
 *   yet makes CloudFormation reject the import ("Unresolved resource dependencies").
 * The users are recreated, not imported: they reference their groups (checked below).
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { EnvironmentKey, EnvironmentProfile, ScopeEnvironment, ScopeEnvironmentProps } from '../../src';

const ENV = { account: '222222222222', region: 'eu-west-1' };

/** Resource types in the import set, with the identifier property CloudFormation imports them by.
 * Import support: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-supported-resources.html */
const IMPORT_SET: Record<string, { identifier: string; nameProperty: string }> = {
  'AWS::DynamoDB::Table': { identifier: 'TableName', nameProperty: 'TableName' },
  'AWS::S3::Bucket': { identifier: 'BucketName', nameProperty: 'BucketName' },
  'AWS::Route53::HostedZone': { identifier: 'Id', nameProperty: 'Name' },
};

/** The README's adoption props for environment `prod` of the runbook. */
const ADOPT: ScopeEnvironmentProps = {
  profile: EnvironmentProfile.PRODUCTION,
  reports: { tableName: 'prod_reports', bucketName: 'prod-reports' },
  domain: { zoneName: 'prod.example.com' },
  // The imported table and bucket may not refer to resources the import cannot create: the
  // access-log bucket and the environment key come with the next deploy (README step 1).
  accessLogs: false,
  encryptionKey: EnvironmentKey.awsManaged(),
};

function template(props: ScopeEnvironmentProps): any {
  const app = new App();
  const stack = new Stack(app, 'scope-prod', { env: ENV });
  new ScopeEnvironment(stack, 'prod', props);
  return app.synth().getStackByName('scope-prod').template;
}

/** Logical IDs referenced (Ref, Fn::GetAtt, ${X} in Fn::Sub) anywhere inside `value`. */
function references(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach(v => references(v, out));
    return out;
  }
  if (!value || typeof value !== 'object') return out;
  for (const [key, v] of Object.entries(value)) {
    if (key === 'Ref') {
      if (!String(v).startsWith('AWS::')) out.add(String(v));
    } else if (key === 'Fn::GetAtt') {
      out.add(Array.isArray(v) ? v[0] : String(v).split('.')[0]);
    } else if (key === 'Fn::Sub') {
      const [text, variables] = Array.isArray(v) ? v : [v, {}];
      for (const m of String(text).matchAll(/\$\{([^}.!]+)[^}]*\}/g)) {
        if (!m[1].startsWith('AWS::') && !(m[1] in variables)) out.add(m[1]);
      }
      references(variables, out);
    } else {
      references(v, out);
    }
  }
  return out;
}

function importSet(t: any): Array<[string, any]> {
  return Object.entries<any>(t.Resources).filter(([, r]) => r.Type in IMPORT_SET);
}

describe('adopting a runbook environment with cdk import', () => {
  test.each<[string, ScopeEnvironmentProps]>([
    ['PRODUCTION', ADOPT],
    ['DEVELOPMENT with removalPolicy RETAIN', {
      profile: EnvironmentProfile.DEVELOPMENT,
      reports: { tableName: 'dev_reports', bucketName: 'dev-reports', removalPolicy: RemovalPolicy.RETAIN },
      domain: { zoneName: 'dev.example.com', removalPolicy: RemovalPolicy.RETAIN },
    }],
  ])('%s: table, bucket and zone carry the old names, Retain, and reference nothing outside the import set', (_, props) => {
    const t = template(props);
    const set = importSet(t);
    expect(set.map(([, r]) => r.Type).sort()).toEqual(['AWS::DynamoDB::Table', 'AWS::Route53::HostedZone', 'AWS::S3::Bucket']);
    const ids = new Set(set.map(([id]) => id));
    for (const [id, resource] of set) {
      const { nameProperty } = IMPORT_SET[resource.Type];
      expect({ id, name: typeof resource.Properties[nameProperty] }).toEqual({ id, name: 'string' });
      // cdk import needs a DeletionPolicy; RetainExceptOnCreate (PRODUCTION) keeps an imported resource like Retain.
      expect({ id, deletion: resource.DeletionPolicy, replace: resource.UpdateReplacePolicy })
        .toEqual({ id, deletion: expect.stringMatching(/^Retain(ExceptOnCreate)?$/), replace: 'Retain' });
      const outside = [...references(resource.Properties ?? {})].filter(ref => !ids.has(ref));
      expect({ id, outside }).toEqual({ id, outside: [] });
    }
    const names = Object.fromEntries(set.map(([, r]) => [r.Type, r.Properties[IMPORT_SET[r.Type].nameProperty]]));
    const env = props.profile === EnvironmentProfile.PRODUCTION ? 'prod' : 'dev';
    expect(names).toEqual({
      'AWS::DynamoDB::Table': `${env}_reports`,
      'AWS::S3::Bucket': `${env}-reports`,
      'AWS::Route53::HostedZone': `${env}.example.com.`,
    });
  });

  test('the table keeps the runbook key schema (hour S / ts N), so the old items stay readable', () => {
    const [, table] = importSet(template(ADOPT)).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')!;
    expect(table.Properties.KeySchema).toEqual([{ AttributeName: 'hour', KeyType: 'HASH' }, { AttributeName: 'ts', KeyType: 'RANGE' }]);
    expect(table.Properties.AttributeDefinitions).toEqual(expect.arrayContaining([{ AttributeName: 'hour', AttributeType: 'S' }, { AttributeName: 'ts', AttributeType: 'N' }]));
  });

  test('users keep the runbook names but reference their groups: recreated (old ones renamed), not imported', () => {
    const t = template(ADOPT);
    const users = Object.entries<any>(t.Resources).filter(([, r]) => r.Type === 'AWS::IAM::User');
    expect(users.map(([, r]) => r.Properties.UserName).sort()).toEqual(['prod_report_reader', 'prod_report_writer', 'prod_sqs_readwriter']);
    for (const [, user] of users) {
      const groups = [...references(user.Properties.Groups)];
      expect(groups).toHaveLength(1);
      expect(t.Resources[groups[0]].Type).toBe('AWS::IAM::Group');
    }
  });
});
