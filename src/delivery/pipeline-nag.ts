/**
 * cdk-nag acknowledgements on the resources that aws-cdk-lib/pipelines creates for
 * ScopeDeliveryPipeline, made right after CDK Pipelines has built them (ScopeCdkPipeline),
 * each on its own resource with the reason. Only the wildcards that aws-cdk-lib writes for its
 * artifact, log and report grants, self-mutation and asset publishing are acknowledged; any other
 * wildcard stays a finding.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, nagValue } from '../private/nag';

/** Wildcard (in cdk-nag's notation) -> why it is needed; the first match wins. */
const WILDCARD_REASONS: Array<[RegExp, string]> = [
  [/^Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*$/, 'aws-cdk-lib\'s grantRead/grantReadWrite on the pipeline\'s '
    + 'artifact bucket: the pipeline and its actions read and write the artifacts of each execution. The wildcards are S3 action '
    + 'families (object versions, ACL reads, multipart aborts); the statement\'s resources are the artifact bucket and its objects only.'],
  [/^Action::kms:(ReEncrypt|GenerateDataKey)\*$/, 'aws-cdk-lib\'s grant on the pipeline\'s artifact key (customer managed, rotation '
    + 'on): encrypting and decrypting the artifacts needs the GenerateDataKey and ReEncrypt families; the resource is that one key.'],
  [/^Resource::<\w*ArtifactsBucket\w*\.Arn>\/\*$/, 'The objects of the pipeline\'s own artifact bucket (encrypted, TLS only, public '
    + 'access blocked): every execution writes new artifact objects whose keys are not known in advance.'],
  [/^Resource::arn:<AWS::Partition>:logs:[^:]+:\d+:log-group:\/aws\/codebuild\/<\w+>:\*$/, 'The log streams of this CodeBuild '
    + 'project\'s own log group (/aws/codebuild/<project>): CodeBuild creates one stream per build, named at run time.'],
  [/^Resource::arn:<AWS::Partition>:codebuild:[^:]+:\d+:report-group\/<\w+>-\*$/, 'The test report groups of this CodeBuild '
    + 'project only (<project>-<name>), created by CodeBuild at run time; aws-cdk-lib grants them to every project it creates.'],
  [/^Resource::arn:<AWS::Partition>:logs:[^:]+:\d+:log-group:\/aws\/codebuild\/\*$/, 'The asset-publishing role of CDK Pipelines is '
    + 'shared by one CodeBuild project per asset, created while the pipeline builds, so it may write the CodeBuild log groups of '
    + 'this account and region; it can only publish assets to the bootstrap file-publishing roles it may assume.'],
  [/^Resource::arn:<AWS::Partition>:codebuild:[^:]+:\d+:report-group\/\*$/, 'The asset-publishing role of CDK Pipelines is shared by '
    + 'one CodeBuild project per asset, so aws-cdk-lib grants it the CodeBuild report groups of this account and region.'],
  [/^Resource::arn:\*:iam::\d+:role\/\*$/, 'The self-mutation step runs `cdk deploy` of the pipeline stack: it may assume roles in '
    + 'the pipeline\'s own account only when they carry the tag aws-cdk:bootstrap-role = deploy, file-publishing or image-publishing '
    + '(the statement\'s condition), i.e. the CDK bootstrap roles.'],
];

/** Why a statement may act on `*`: the actions that have no resource-level permissions. */
const STAR_REASONS: Array<[RegExp, string]> = [
  [/^(cloudformation:DescribeStacks|s3:ListBucket)$/, 'The self-mutation step (`cdk deploy` of the pipeline stack) looks up '
    + 'stacks and bootstrap buckets by name (cloudformation:DescribeStacks, s3:ListBucket), as aws-cdk-lib/pipelines grants; it '
    + 'changes nothing through these actions.'],
  [/^codebuild:(BatchGetBuilds|StartBuild|StopBuild)$/, 'The asset-publishing role of CDK Pipelines starts and watches the builds of '
    + 'the asset projects that aws-cdk-lib creates while the pipeline builds (codebuild:StartBuild/BatchGetBuilds/StopBuild).'],
];

/** Acknowledges the known wildcards of `policy`, each with its reason. */
function acknowledgePolicy(policy: iam.CfnPolicy): void {
  const document = Stack.of(policy).resolve(policy.policyDocument);
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  for (const statement of list(document?.Statement) as any[]) {
    if (statement.Effect !== 'Allow') continue;
    const actions = list(statement.Action).map(a => `Action::${nagValue(policy, a)}`);
    const resources = list(statement.Resource).map(r => `Resource::${nagValue(policy, r)}`);
    for (const finding of [...actions, ...resources].filter(f => f.includes('*'))) {
      const reason = finding === 'Resource::*'
        ? STAR_REASONS.find(([re]) => list(statement.Action).every(a => re.test(a)))?.[1]
        : WILDCARD_REASONS.find(([re]) => re.test(finding))?.[1];
      if (reason) acknowledge(policy, { id: `AwsSolutions-IAM5[${finding}]`, reason });
    }
  }
}

/** Acknowledges the findings on the pipeline's resources under `scope`. */
export function acknowledgePipelineResources(scope: IConstruct): void {
  for (const construct of scope.node.findAll()) {
    if (construct instanceof iam.CfnPolicy) acknowledgePolicy(construct);
    if (construct instanceof s3.CfnBucket && construct.node.scope?.node.id === 'ArtifactsBucket') {
      acknowledge(construct, {
        id: 'AwsSolutions-S1',
        reason: 'The pipeline\'s artifact bucket holds only the build artifacts of its executions (source zip, cloud assembly), '
          + 'written and read by the pipeline\'s own roles; it is KMS-encrypted with the pipeline key, TLS only and blocks public '
          + 'access. CloudTrail records who changes the pipeline; server access logs would add a log bucket per pipeline.',
      });
    }
  }
}

/**
 * CDK Pipelines' CodePipeline that acknowledges the cdk-nag findings of the resources it builds,
 * as soon as it has built them (at synth, or at `buildPipeline()`), so stages and waves can still
 * be added after ScopeDeliveryPipeline's constructor.
 */
export class ScopeCdkPipeline extends pipelines.CodePipeline {
  /** What to acknowledge after the build (the ScopeDeliveryPipeline). */
  private readonly acknowledgeScope: IConstruct;

  constructor(scope: Construct, id: string, props: pipelines.CodePipelineProps, acknowledgeScope: IConstruct) {
    super(scope, id, props);
    this.acknowledgeScope = acknowledgeScope;
  }

  protected doBuildPipeline(): void {
    super.doBuildPipeline();
    acknowledgePipelineResources(this.acknowledgeScope);
  }
}
