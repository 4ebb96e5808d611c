/**
 * ScopeDeliveryPipeline: the stages and their order, the change report between DEVELOPMENT and
 * the approval with only the PRODUCTION lookup role, the approval before PRODUCTION, cross-account
 * keys, self-mutation, the repo's commands, notifications, and prop validation.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { CONNECTION_ARN, pipelineApp, SANDBOX_ACCOUNT } from './fixture';
import { PROD_ENV } from '../../example/environments';
import { ScopeDeliveryPipeline, ScopeEnvironmentStage } from '../../src';

type Template = { Resources: { [id: string]: any } };

function templateOf(props: Parameters<typeof pipelineApp>[0] = {}): Template {
  const p = pipelineApp(props);
  return p.app.synth().getStackByName(p.stack.stackName).template;
}

const resourcesOf = (t: Template, type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const pipelineOf = (t: Template) => resourcesOf(t, 'AWS::CodePipeline::Pipeline')[0][1].Properties;
const stage = (t: Template, name: string) => pipelineOf(t).Stages.find((s: any) => s.Name === name);
const action = (t: Template, stageName: string, actionName: string) => stage(t, stageName).Actions.find((a: any) => a.Name === actionName);
/** The CodeBuild project an action runs. */
const projectOf = (t: Template, a: any) => t.Resources[a.Configuration.ProjectName.Ref].Properties;
/** Every statement of the policies attached to the project's role. */
function roleStatements(t: Template, project: any): any[] {
  const role = project.ServiceRole['Fn::GetAtt'][0];
  return resourcesOf(t, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === role))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}
const assumable = (statements: any[]) => statements
  .filter(s => [s.Action].flat().includes('sts:AssumeRole'))
  .flatMap(s => [s.Resource].flat());
const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
const env = (project: any) => Object.fromEntries(project.Environment.EnvironmentVariables.map((v: any) => [v.Name, v.Value]));

const PROD_LOOKUP = `:iam::${PROD_ENV.account}:role/cdk-hnb659fds-lookup-role-${PROD_ENV.account}-${PROD_ENV.region}`;

describe('the default pipeline (sandbox, dev, prod)', () => {
  const t = templateOf();

  test('stages in order: source, synth, self-mutation, assets, sandbox integ tests, DEVELOPMENT, PRODUCTION', () => {
    expect(pipelineOf(t).Stages.map((s: any) => s.Name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'Sandbox', 'dev', 'prod']);
  });

  test('PRODUCTION: the change report first, then the manual approval, then the deployment', () => {
    const prod = stage(t, 'prod').Actions.map((a: any) => [a.Name, a.ActionTypeId.Category, a.RunOrder]);
    expect(prod).toEqual([
      ['ChangeReport', 'Build', 1], ['Approve', 'Approval', 2], ['Scope.Prepare', 'Deploy', 3], ['Scope.Deploy', 'Deploy', 4],
    ]);
    // DEVELOPMENT has no gate.
    expect(stage(t, 'dev').Actions.map((a: any) => a.ActionTypeId.Category)).toEqual(['Deploy', 'Deploy']);
  });

  test('the approval links to the change report\'s build log (the step\'s exported CHANGE_REPORT_URL)', () => {
    const report = action(t, 'prod', 'ChangeReport');
    expect(action(t, 'prod', 'Approve').Configuration.ExternalEntityLink).toBe(`#{${report.Namespace}.CHANGE_REPORT_URL}`);
    const buildSpec = JSON.parse(projectOf(t, report).Source.BuildSpec);
    expect(buildSpec.env['exported-variables']).toEqual(['CHANGE_REPORT_URL']);
    expect(buildSpec.phases.build.commands[0]).toMatch(/^export CHANGE_REPORT_URL="https:\/\/\$\{AWS_REGION\}\.console\.aws\.amazon\.com\/codesuite\/codebuild\//);
  });

  test('the change report may assume exactly one role: the PRODUCTION account\'s bootstrap lookup role', () => {
    const project = projectOf(t, action(t, 'prod', 'ChangeReport'));
    expect(assumable(roleStatements(t, project))).toEqual([partitionArn(PROD_LOOKUP)]);
    expect(env(project)).toEqual(expect.objectContaining({
      LOOKUP_ROLE_ARN: partitionArn(PROD_LOOKUP), STACK_NAME: 'prod-Scope', STACK_REGION: PROD_ENV.region,
    }));
  });

  test('the change report runs the shipped CLI on cdk.out with the role and the commit message of the source', () => {
    const report = action(t, 'prod', 'ChangeReport');
    expect(report.InputArtifacts).toEqual([{ Name: 'Synth_Output' }]);
    expect(JSON.parse(report.Configuration.EnvironmentVariables)).toEqual([
      { name: 'COMMIT_MESSAGE', type: 'PLAINTEXT', value: `#{${action(t, 'Source', 'example_scope-infra').Namespace}.CommitMessage}` },
    ]);
    const commands: string[] = JSON.parse(projectOf(t, report).Source.BuildSpec).phases.build.commands;
    expect(commands[2]).toBe('node scope-change-report/change-report/index.js --cdk-out . --stack "$STACK_NAME" --region "$STACK_REGION" '
      + '--role-arn "$LOOKUP_ROLE_ARN" --commit-message /tmp/commit-message.txt');
  });

  test('cross-account keys: artifacts encrypted with a customer managed key, rotation on', () => {
    const store = pipelineOf(t).ArtifactStore;
    expect(store.EncryptionKey.Type).toBe('KMS');
    const keyId = store.EncryptionKey.Id['Fn::GetAtt'][0];
    expect(t.Resources[keyId]).toEqual(expect.objectContaining({ Type: 'AWS::KMS::Key' }));
    expect(t.Resources[keyId].Properties.EnableKeyRotation).toBe(true);
  });

  test('self-mutation: the pipeline deploys its own stack before anything else', () => {
    const mutate = action(t, 'UpdatePipeline', 'SelfMutate');
    const commands: string[] = JSON.parse(projectOf(t, mutate).Source.BuildSpec).phases.build.commands;
    expect(commands.join('\n')).toMatch(/cdk -a \. deploy ScopePipeline/);
  });

  test('the synth step runs the repo\'s install, tests and synth, then copies the change-report CLI into cdk.out', () => {
    const spec = JSON.parse(projectOf(t, action(t, 'Build', 'Synth')).Source.BuildSpec);
    expect(spec.phases.install.commands).toEqual(['npm ci']);
    expect(spec.phases.build.commands.slice(0, 2)).toEqual(['npm test', 'npx cdk synth']);
    expect(spec.phases.build.commands[2]).toContain('cp -R "$SCOPE_PACKAGE/assets/delivery/." cdk.out/scope-change-report/');
    expect(spec.artifacts['base-directory']).toBe('cdk.out');
  });

  test('sandbox: integ-runner against the sandbox account, which it reaches only through its bootstrap roles', () => {
    const project = projectOf(t, action(t, 'Sandbox', 'IntegTests'));
    const spec = JSON.parse(project.Source.BuildSpec);
    expect(spec.phases.build.commands).toEqual(['npx integ-runner --directory integ --language typescript --force --parallel-regions eu-west-1']);
    expect(env(project)).toEqual(expect.objectContaining({ CDK_INTEG_ACCOUNT: SANDBOX_ACCOUNT, CDK_INTEG_REGION: 'eu-west-1' }));
    expect(project.TimeoutInMinutes).toBe(180);
    expect(assumable(roleStatements(t, project))).toEqual(['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(kind =>
      partitionArn(`:iam::${SANDBOX_ACCOUNT}:role/cdk-hnb659fds-${kind}-role-${SANDBOX_ACCOUNT}-eu-west-1`)));
  });

  test('failures and pending approvals are notified to a TLS-only, encrypted topic that CodeStar Notifications may publish to', () => {
    const [[, rule]] = resourcesOf(t, 'AWS::CodeStarNotifications::NotificationRule');
    expect(rule.Properties.EventTypeIds).toEqual([
      'codepipeline-pipeline-pipeline-execution-failed', 'codepipeline-pipeline-action-execution-failed', 'codepipeline-pipeline-manual-approval-needed',
    ]);
    const topicId = rule.Properties.Targets[0].TargetAddress.Ref;
    expect(t.Resources[topicId].Properties.KmsMasterKeyId).toBeDefined();
    const [[, policy]] = resourcesOf(t, 'AWS::SNS::TopicPolicy');
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'codestar-notifications.amazonaws.com' } }),
    ]));
  });
});

describe('options', () => {
  test('the repo\'s own commands, another bootstrap qualifier, no sandbox, the user\'s topic', () => {
    const app = new App();
    const topic = sns.Topic.fromTopicArn(new Stack(app, 'Topics'), 'Topic', 'arn:aws:sns:eu-west-1:333333333333:builds');
    const t = templateOf({
      installCommand: 'yarn install --frozen-lockfile',
      testCommand: 'yarn test --ci',
      synthCommand: 'yarn cdk synth',
      bootstrapQualifier: 'scope1',
      sandbox: undefined,
      notificationTopic: topic,
    });
    expect(pipelineOf(t).Stages.map((s: any) => s.Name)).not.toContain('Sandbox');
    const spec = JSON.parse(projectOf(t, action(t, 'Build', 'Synth')).Source.BuildSpec);
    expect([...spec.phases.install.commands, ...spec.phases.build.commands.slice(0, 2)])
      .toEqual(['yarn install --frozen-lockfile', 'yarn test --ci', 'yarn cdk synth']);
    const project = projectOf(t, action(t, 'prod', 'ChangeReport'));
    expect(assumable(roleStatements(t, project))).toEqual([
      partitionArn(`:iam::${PROD_ENV.account}:role/cdk-scope1-lookup-role-${PROD_ENV.account}-${PROD_ENV.region}`),
    ]);
    const [[, rule]] = resourcesOf(t, 'AWS::CodeStarNotifications::NotificationRule');
    expect(rule.Properties.Targets).toEqual([{ TargetType: 'SNS', TargetAddress: 'arn:aws:sns:eu-west-1:333333333333:builds' }]);
    expect(resourcesOf(t, 'AWS::SNS::Topic')).toEqual([]);
  });
});

describe('validation', () => {
  function build(overrides: { dev?: object; prod?: object; props?: object }) {
    const app = new App();
    const stack = new Stack(app, 'Tooling', { env: { account: '333333333333', region: 'eu-west-1' } });
    const development = new ScopeEnvironmentStage(app, 'dev', { env: { account: '111111111111', region: 'eu-west-1' }, ...overrides.dev });
    const production = new ScopeEnvironmentStage(app, 'prod', { env: PROD_ENV, ...overrides.prod });
    return () => new ScopeDeliveryPipeline(stack, 'Delivery', {
      source: pipelines.CodePipelineSource.connection('example/infra', 'main', { connectionArn: CONNECTION_ARN }),
      development,
      production,
      ...overrides.props,
    });
  }

  test.each([
    ['a stage without account and region', { dev: { env: undefined } }, /^Invalid development: the stage needs an env with a concrete account and region/],
    ['a production stage without an env', { prod: { env: undefined } }, /^Invalid production: the stage needs an env/],
    ['a bootstrap qualifier CDK rejects', { props: { bootstrapQualifier: 'too-long-qualifier' } }, /^Invalid bootstrapQualifier 'too-long-qualifier': must be 1 to 10/],
    ['a sandbox account that is not 12 digits', { props: { sandbox: { account: '4444', region: 'eu-west-1' } } }, /^Invalid sandbox\.account '4444'/],
    ['a sandbox region that is not one', { props: { sandbox: { account: SANDBOX_ACCOUNT, region: 'Europe' } } }, /^Invalid sandbox\.region 'Europe'/],
    ['an empty test command', { props: { testCommand: ' ' } }, /^Invalid testCommand: must not be empty/],
  ])('%s fails at synth time, naming the prop', (_, overrides, message) => {
    expect(build(overrides)).toThrow(message);
  });
});
