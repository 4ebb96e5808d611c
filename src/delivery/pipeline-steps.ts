/**
 * The CodeBuild steps of ScopeDeliveryPipeline: synth (the consuming repo's install, tests and
 * synth), the sandbox integ tests and the PRODUCTION change report. Each step's role may assume
 * only the CDK bootstrap roles it needs, named exactly (no wildcard).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { IConstruct } from 'constructs';

/** Where the synth step puts the change-report CLI inside cdk.out (the change report's input). */
export const CHANGE_REPORT_DIR = 'scope-change-report';

/**
 * Copies the installed package's bundled change-report CLI (assets/delivery/: the bundle and the
 * CloudFormation resource specification it reads) into cdk.out, so the change-report step runs
 * the same version as the app, with no install.
 */
const COPY_CHANGE_REPORT = 'SCOPE_PACKAGE="$(dirname "$(node -p "require.resolve(\'cdk-scope-environment/package.json\')")")" '
  + `&& mkdir -p cdk.out/${CHANGE_REPORT_DIR} && cp -R "$SCOPE_PACKAGE/assets/delivery/." cdk.out/${CHANGE_REPORT_DIR}/`;

/** The ARN of a CDK bootstrap role (`cdk-<qualifier>-<kind>-role-<account>-<region>`) in `account`. */
export function bootstrapRoleArn(scope: IConstruct, kind: string, qualifier: string, account: string, region: string): string {
  return `arn:${Stack.of(scope).partition}:iam::${account}:role/cdk-${qualifier}-${kind}-role-${account}-${region}`;
}

/** Options of the synth step. */
export interface SynthStepOptions {
  readonly source: pipelines.IFileSetProducer;
  readonly installCommand: string;
  readonly testCommand: string;
  readonly synthCommand: string;
}

/** Install, test, synth, then the change-report CLI into cdk.out. */
export function synthStep(o: SynthStepOptions): pipelines.CodeBuildStep {
  return new pipelines.CodeBuildStep('Synth', {
    input: o.source,
    installCommands: [o.installCommand],
    commands: [o.testCommand, o.synthCommand, COPY_CHANGE_REPORT],
    primaryOutputDirectory: 'cdk.out',
  });
}

/** Options of the sandbox integ step. */
export interface IntegStepOptions {
  readonly source: pipelines.IFileSetProducer;
  readonly installCommand: string;
  readonly integCommand: string;
  readonly account: string;
  readonly region: string;
  readonly qualifier: string;
  readonly timeout: Duration;
}

/**
 * The consuming repo's integ tests against the sandbox account: integ-runner deploys each test's
 * stacks, runs its assertions and destroys them. Stacks in the tests' apps that take their
 * environment from CDK_INTEG_ACCOUNT / CDK_INTEG_REGION are deployed through the sandbox's
 * bootstrap roles, which trust the tooling account (`cdk bootstrap --trust`).
 */
export function integStep(scope: IConstruct, o: IntegStepOptions): pipelines.CodeBuildStep {
  const roles = ['deploy', 'file-publishing', 'image-publishing', 'lookup'].map(kind =>
    bootstrapRoleArn(scope, kind, o.qualifier, o.account, o.region));
  return new pipelines.CodeBuildStep('IntegTests', {
    input: o.source,
    installCommands: [o.installCommand],
    commands: [o.integCommand],
    env: { CDK_INTEG_ACCOUNT: o.account, CDK_INTEG_REGION: o.region },
    rolePolicyStatements: [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: roles })],
    timeout: o.timeout,
  });
}

/** Options of the change-report step. */
export interface ChangeReportStepOptions {
  readonly synth: pipelines.IFileSetProducer;
  readonly source: pipelines.CodePipelineSource;
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly qualifier: string;
}

/**
 * The change report of the PRODUCTION stack: GetTemplate through the PRODUCTION account's
 * bootstrap lookup role (the CDK bootstrap template gives it ReadOnlyAccess and trusts the
 * `--trust` accounts: aws-cdk packages/aws-cdk/lib/api/bootstrap/bootstrap-template.yaml,
 * LookupRole), diffed with the new template in cdk.out. The commit message (the source action's
 * CommitMessage variable: aws-cdk-lib CodeStarSourceVariables / CodeCommitSourceVariables) may
 * carry `Allow-Replace:` trailers. CHANGE_REPORT_URL, exported for the approval, is the build's
 * log in the CodeBuild console, made from CODEBUILD_BUILD_ID (`<project>:<uuid>`) and AWS_REGION
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html).
 */
export function changeReportStep(scope: IConstruct, o: ChangeReportStepOptions): pipelines.CodeBuildStep {
  const lookupRole = bootstrapRoleArn(scope, 'lookup', o.qualifier, o.account, o.region);
  return new pipelines.CodeBuildStep('ChangeReport', {
    input: o.synth,
    env: {
      COMMIT_MESSAGE: o.source.sourceAttribute('CommitMessage'),
      LOOKUP_ROLE_ARN: lookupRole,
      STACK_NAME: o.stackName,
      STACK_REGION: o.region,
    },
    commands: [
      'export CHANGE_REPORT_URL="https://${AWS_REGION}.console.aws.amazon.com/codesuite/codebuild/projects/${CODEBUILD_BUILD_ID%%:*}'
        + '/build/${CODEBUILD_BUILD_ID%%:*}%3A${CODEBUILD_BUILD_ID#*:}/log?region=${AWS_REGION}"',
      'printf "%s" "$COMMIT_MESSAGE" > /tmp/commit-message.txt',
      `node ${CHANGE_REPORT_DIR}/change-report/index.js --cdk-out . --stack "$STACK_NAME" --region "$STACK_REGION" `
        + '--role-arn "$LOOKUP_ROLE_ARN" --commit-message /tmp/commit-message.txt',
    ],
    rolePolicyStatements: [new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [lookupRole] })],
  });
}
