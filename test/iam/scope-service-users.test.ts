import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CONTROL_QUEUE_ACTIONS, ControlQueues, IServiceAccountRoleProvider, ReportStore, ScopeCluster, ScopeServiceUsers, ScopeServiceUsersProps } from '../../src';

/** A minimal real Pod Identity binder: a role trusted by EKS Pod Identity plus its association. */
class PodIdentityCluster extends Construct implements IServiceAccountRoleProvider {
  public serviceAccountRole(namespace: string, name: string): iam.IRole {
    const role = new iam.Role(this, `${namespace}-${name}`, {
      assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags(),
    });
    new eks.CfnPodIdentityAssociation(this, `${namespace}-${name}-association`, {
      clusterName: 'scope', namespace, serviceAccount: name, roleArn: role.roleArn,
    });
    return role;
  }
}

type Props = Partial<ScopeServiceUsersProps>;

function build(props: Props = {}) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const reports = new ReportStore(stack, 'Reports', { envName: 'prod' });
  const queues = new ControlQueues(stack, 'Queues', { envName: 'prod' });
  const users = new ScopeServiceUsers(stack, 'Users', { reports, queues, ...props });
  return { stack, users, template: Template.fromStack(stack) };
}

function buildWithPods(props: Props = {}) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const reports = new ReportStore(stack, 'Reports', { envName: 'prod' });
  const queues = new ControlQueues(stack, 'Queues', { envName: 'prod' });
  const cluster = new PodIdentityCluster(stack, 'Cluster');
  const users = new ScopeServiceUsers(stack, 'Users', { reports, queues, cluster, podIdentity: true, ...props });
  return { stack, users, template: Template.fromStack(stack) };
}

const TABLE_ARN = { 'Fn::GetAtt': ['ReportsTable5E17AF2D', 'Arn'] };
const OBJECTS_ARN = { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['ReportsBucket95FE29A2', 'Arn'] }, '/*']] };
const QUEUE_PATTERN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:eu-west-1:111111111111:prod_control_*']] };

// Issue 24: explicit Deny statements beside the reference policies (test/evaluators/least-privilege.test.ts evaluates them).
const KMS_ONLY_VIA_STORE = {
  Sid: 'KmsOnlyThroughTheReportStore',
  Effect: 'Deny',
  Action: 'kms:*',
  Resource: '*',
  Condition: { StringNotEquals: { 'kms:ViaService': ['dynamodb.eu-west-1.amazonaws.com', 's3.eu-west-1.amazonaws.com'] } },
};
const NO_QUEUE_PERMISSIONS = { Sid: 'NoQueuePermissionChanges', Effect: 'Deny', Action: ['sqs:AddPermission', 'sqs:RemovePermission'], Resource: '*' };
const WRITER_STATEMENTS = [
  { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: TABLE_ARN },
  { Effect: 'Allow', Action: 's3:PutObject', Resource: OBJECTS_ARN },
  KMS_ONLY_VIA_STORE,
];
const READER_STATEMENTS = [
  { Effect: 'Allow', Action: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'], Resource: TABLE_ARN },
  { Effect: 'Allow', Action: 's3:GetObject', Resource: OBJECTS_ARN },
  KMS_ONLY_VIA_STORE,
];
const QUEUE_STATEMENTS = [{ Effect: 'Allow', Action: CONTROL_QUEUE_ACTIONS, Resource: QUEUE_PATTERN }, NO_QUEUE_PERMISSIONS];

/** Every AWS::IAM::Policy attached to this principal (by Ref), with where it is attached. */
function policiesOf(template: Template, attachment: 'Groups' | 'Roles' | 'Users', logicalId: string) {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => (p.Properties[attachment] ?? []).some((r: any) => r.Ref === logicalId));
}

describe('users and groups', () => {
  const { users, template, stack } = build();
  const cases = [
    ['reportWriter', users.reportWriter, 'prod_report_writer', WRITER_STATEMENTS],
    ['reportReader', users.reportReader, 'prod_report_reader', READER_STATEMENTS],
    ['queueReadWriter', users.queueReadWriter, 'prod_sqs_readwriter', QUEUE_STATEMENTS],
  ] as const;

  test('three users and three groups, nothing else that grants rights', () => {
    template.resourceCountIs('AWS::IAM::User', 3);
    template.resourceCountIs('AWS::IAM::Group', 3);
    template.resourceCountIs('AWS::IAM::Policy', 3);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::IAM::UserToGroupAddition', 0);
  });

  test.each(cases)('%s: named from the env, in exactly its group, no policy of its own', (_name, su, userName) => {
    const user = template.toJSON().Resources[stack.getLogicalId(su.user.node.defaultChild as iam.CfnUser)];
    expect(user.Properties).toEqual({
      UserName: userName,
      Groups: [{ Ref: stack.getLogicalId(su.group.node.defaultChild as iam.CfnGroup) }],
    });
    expect(policiesOf(template, 'Users', stack.getLogicalId(su.user.node.defaultChild as iam.CfnUser))).toEqual([]);
  });

  test.each(cases)('%s: its group holds exactly the reference policy', (_name, su, _userName, statements) => {
    const groupId = stack.getLogicalId(su.group.node.defaultChild as iam.CfnGroup);
    const group = template.toJSON().Resources[groupId];
    // No inline or managed policies on the group itself; Path '/' (IAM's default) lets the Control Tower IAM rules evaluate it.
    expect(group.Properties).toEqual({ Path: '/' });
    const policies = policiesOf(template, 'Groups', groupId);
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.Groups).toEqual([{ Ref: groupId }]);
    expect(policies[0].Properties.Users).toBeUndefined();
    expect(policies[0].Properties.Roles).toBeUndefined();
    expect(policies[0].Properties.PolicyDocument.Statement).toEqual(statements);
  });

  test('no Allow statement anywhere has a * resource or a wildcard action', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p: any) => p.Properties.PolicyDocument.Statement).filter((st: any) => st.Effect === 'Allow');
    for (const s of statements) {
      expect(s.Resource).not.toEqual('*');
      expect([s.Action].flat().some((a: string) => a.includes('*'))).toBe(false);
    }
  });

  test('envName defaults to the report store envName; envName and userNames override', () => {
    const custom = build({ envName: 'staging', userNames: { queue: 'legacy.sqs@user' } });
    custom.template.hasResourceProperties('AWS::IAM::User', { UserName: 'staging_report_writer' });
    custom.template.hasResourceProperties('AWS::IAM::User', { UserName: 'staging_report_reader' });
    custom.template.hasResourceProperties('AWS::IAM::User', { UserName: 'legacy.sqs@user' });
    expect(users.envName).toBe('prod');
    expect(custom.users.envName).toBe('staging');
  });
});

describe('access keys and secrets', () => {
  /** Renders a SecretString Fn::Join with placeholders for Ref and GetAtt, then parses the JSON. */
  function secretJson(secretString: any): Record<string, string> {
    expect(Object.keys(secretString)).toEqual(['Fn::Join']);
    const [sep, parts] = secretString['Fn::Join'];
    const text = parts.map((p: any) => {
      if (typeof p === 'string') return p;
      if (p.Ref) return `<Ref ${p.Ref}>`;
      if (p['Fn::GetAtt']) return `<GetAtt ${p['Fn::GetAtt'].join('.')}>`;
      throw new Error(`unexpected token ${JSON.stringify(p)}`);
    }).join(sep);
    return JSON.parse(text);
  }

  test('each user has one key (serial 0) whose id and secret go only into its own secret', () => {
    const { users, template, stack } = build();
    template.resourceCountIs('AWS::IAM::AccessKey', 3);
    template.resourceCountIs('AWS::SecretsManager::Secret', 3);
    const resources = template.toJSON().Resources;
    const expected = [
      [users.reportWriter, { table: '<Ref ReportsTable5E17AF2D>', bucket: '<Ref ReportsBucket95FE29A2>' }],
      [users.reportReader, { table: '<Ref ReportsTable5E17AF2D>', bucket: '<Ref ReportsBucket95FE29A2>' }],
      [users.queueReadWriter, { queuePrefix: 'prod_control_' }],
    ] as const;
    for (const [su, fields] of expected) {
      const keyId = stack.getLogicalId(su.accessKey!.node.defaultChild as iam.CfnAccessKey);
      const userId = stack.getLogicalId(su.user.node.defaultChild as iam.CfnUser);
      expect(resources[keyId].Properties).toEqual({ UserName: { Ref: userId }, Serial: 0 });
      const secret = resources[stack.getLogicalId(su.secret!.node.defaultChild as any)];
      expect(secret.Type).toBe('AWS::SecretsManager::Secret');
      expect(secretJson(secret.Properties.SecretString)).toEqual({
        accessKeyId: `<Ref ${keyId}>`,
        secretAccessKey: `<GetAtt ${keyId}.SecretAccessKey>`,
        region: 'eu-west-1',
        ...fields,
      });
    }
  });

  test('SecretAccessKey is referenced only inside the secrets, never in outputs or other resources', () => {
    const { template } = build({ podIdentity: false });
    const json = template.toJSON();
    const mentions = (value: unknown) => (JSON.stringify(value ?? {}).match(/"SecretAccessKey"/g) ?? []).length;
    let inSecrets = 0;
    for (const [, resource] of Object.entries<any>(json.Resources)) {
      if (resource.Type === 'AWS::SecretsManager::Secret') {
        inSecrets += mentions(resource.Properties.SecretString);
        expect(mentions({ ...resource.Properties, SecretString: undefined })).toBe(0);
      } else {
        expect(mentions(resource)).toBe(0);
      }
    }
    expect(inSecrets).toBe(3);
    expect(mentions(json.Outputs)).toBe(0);
    expect(mentions(json.Parameters)).toBe(0);
    expect(mentions(json.Conditions)).toBe(0);
  });

  test('keySerial becomes the Serial of every key (rotation)', () => {
    const { template } = build({ keySerial: 3 });
    expect(Object.values(template.findResources('AWS::IAM::AccessKey')).map((k: any) => k.Properties.Serial)).toEqual([3, 3, 3]);
  });

  test('createAccessKeys: false makes no keys and no secrets', () => {
    const { users, template } = build({ createAccessKeys: false });
    template.resourceCountIs('AWS::IAM::AccessKey', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::IAM::User', 3);
    expect(users.reportWriter.secret).toBeUndefined();
    expect(users.reportWriter.accessKey).toBeUndefined();
  });
});

describe('pod identity', () => {
  test('one role per service, bound to collection/query/control in namespace scope, same policy as the group', () => {
    const { users, template, stack } = buildWithPods();
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 3);
    const cases = [
      [users.reportWriter, 'collection', WRITER_STATEMENTS],
      [users.reportReader, 'query', READER_STATEMENTS],
      [users.queueReadWriter, 'control', QUEUE_STATEMENTS],
    ] as const;
    for (const [su, serviceAccount, statements] of cases) {
      expect(su.role).toBeDefined();
      const roleId = stack.getLogicalId(su.role!.node.defaultChild as iam.CfnRole);
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
        Namespace: 'scope', ServiceAccount: serviceAccount, RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      });
      const policies = policiesOf(template, 'Roles', roleId);
      expect(policies).toHaveLength(1);
      expect(policies[0].Properties.PolicyDocument.Statement).toEqual(statements);
    }
    template.resourceCountIs('AWS::IAM::AccessKey', 3); // keys stay unless createAccessKeys: false
  });

  test('namespace prop and a keyless-only setup', () => {
    const { users, template } = buildWithPods({ namespace: 'apps', createAccessKeys: false });
    for (const sa of ['collection', 'query', 'control']) {
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'apps', ServiceAccount: sa });
    }
    template.resourceCountIs('AWS::IAM::AccessKey', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(users.queueReadWriter.grantees).toHaveLength(2);
  });

  test('the real ScopeCluster binds the roles: associations on its cluster, trusted by EKS Pod Identity', () => {
    const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
    const reports = new ReportStore(stack, 'Reports', { envName: 'prod' });
    const queues = new ControlQueues(stack, 'Queues', { envName: 'prod' });
    const cluster: IServiceAccountRoleProvider = new ScopeCluster(stack, 'Scope', { envName: 'prod' });
    const users = new ScopeServiceUsers(stack, 'Users', { reports, queues, cluster, podIdentity: true, createAccessKeys: false });
    const template = Template.fromStack(stack);
    const clusterName = { Ref: stack.getLogicalId((cluster as ScopeCluster).cluster.node.defaultChild as any) };
    for (const [su, serviceAccount, statements] of [
      [users.reportWriter, 'collection', WRITER_STATEMENTS],
      [users.reportReader, 'query', READER_STATEMENTS],
      [users.queueReadWriter, 'control', QUEUE_STATEMENTS],
    ] as const) {
      const roleId = stack.getLogicalId(su.role!.node.defaultChild as iam.CfnRole);
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
        ClusterName: clusterName, Namespace: 'scope', ServiceAccount: serviceAccount, RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      });
      const trust = template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument.Statement;
      expect(trust).toEqual([expect.objectContaining({ Principal: { Service: 'pods.eks.amazonaws.com' } })]);
      expect(policiesOf(template, 'Roles', roleId).map((p: any) => p.Properties.PolicyDocument.Statement)).toEqual([statements]);
    }
  });

  test('no roles without podIdentity, even with a cluster', () => {
    const stack = new Stack();
    const reports = new ReportStore(stack, 'Reports', { envName: 'prod' });
    const queues = new ControlQueues(stack, 'Queues', { envName: 'prod' });
    const users = new ScopeServiceUsers(stack, 'Users', { reports, queues, cluster: new PodIdentityCluster(stack, 'Cluster') });
    Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    expect(users.reportWriter.role).toBeUndefined();
  });
});

describe('bad input', () => {
  test.each([
    [{ userNames: { writer: 'has space' } }, /Invalid userNames.writer 'has space': IAM user names are 1 to 64 characters/],
    [{ userNames: { reader: 'x'.repeat(65) } }, /Invalid userNames.reader 'x{65}': IAM user names are 1 to 64 characters/],
    [{ userNames: { queue: 'sqs/user' } }, /Invalid userNames.queue/],
    [{ envName: 'Prod_1' }, /Invalid envName 'Prod_1'/],
    [{ envName: 'a'.repeat(21) }, /Invalid envName/],
    [{ keySerial: -1 }, /Invalid keySerial -1: must be a whole number of at least 0/],
    [{ keySerial: 1.5 }, /Invalid keySerial 1.5: must be a whole number of at least 0/],
    [{ podIdentity: true }, /Invalid podIdentity: podIdentity: true needs the cluster prop/],
    [{ namespace: 'Scope_NS' }, /Invalid namespace 'Scope_NS'/],
  ] as Array<[Props, RegExp]>)('%j fails at synth time', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('a 64-character user name is accepted', () => {
    expect(() => build({ userNames: { writer: 'w'.repeat(64) } })).not.toThrow();
  });
});

test('with encryptionKey the three access-key secrets are encrypted with it (in place)', () => {
  const stack = new Stack(new App(), 'Keyed', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key');
  new ScopeServiceUsers(stack, 'Users', {
    reports: new ReportStore(stack, 'Reports', { envName: 'prod' }),
    queues: new ControlQueues(stack, 'Queues', { envName: 'prod' }),
    encryptionKey: key,
  });
  const secrets = Object.values<any>(Template.fromStack(stack).findResources('AWS::SecretsManager::Secret'));
  expect(secrets).toHaveLength(3);
  for (const secret of secrets) expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
  expect(Object.values<any>(build().template.findResources('AWS::SecretsManager::Secret')).map(s => s.Properties.KmsKeyId)).toEqual([undefined, undefined, undefined]);
});
