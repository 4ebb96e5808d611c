/**
 * ScopeDeliveryPipeline in a tooling account, delivering a DEVELOPMENT and a PRODUCTION
 * environment from a GitHub repository through an AWS CodeConnections connection, with the
 * sandbox integ-test stage. Deployed for real it creates the pipeline (which then runs from the
 * repository's main branch); the assertion reads the pipeline back. The accounts and the
 * connection are placeholders: set SCOPE_PIPELINE_CONNECTION_ARN, SCOPE_DEV_ACCOUNT,
 * SCOPE_PROD_ACCOUNT and SCOPE_SANDBOX_ACCOUNT (bootstrapped with `--trust <tooling account>`)
 * before `npx projen integ:deploy`.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { EnvironmentProfile, ScopeDeliveryPipeline, ScopeEnvironmentStage } from '../src';

const REGION = 'us-east-1';
const CONNECTION_ARN = process.env.SCOPE_PIPELINE_CONNECTION_ARN
  ?? 'arn:aws:codeconnections:us-east-1:333333333333:connection/00000000-0000-0000-0000-000000000000';
const DEV_ACCOUNT = process.env.SCOPE_DEV_ACCOUNT ?? '111111111111';
const PROD_ACCOUNT = process.env.SCOPE_PROD_ACCOUNT ?? '222222222222';
const SANDBOX_ACCOUNT = process.env.SCOPE_SANDBOX_ACCOUNT ?? '444444444444';
const PIPELINE_NAME = 'scope-integ-delivery';

const app = new App();
const stack = new Stack(app, 'ScopePipelineInteg', { env: { account: process.env.CDK_INTEG_ACCOUNT ?? '333333333333', region: REGION } });
const dev = new ScopeEnvironmentStage(app, 'dev', { env: { account: DEV_ACCOUNT, region: REGION } });
const prod = new ScopeEnvironmentStage(app, 'prod', {
  env: { account: PROD_ACCOUNT, region: REGION },
  environment: { profile: EnvironmentProfile.PRODUCTION },
});
new ScopeDeliveryPipeline(stack, 'Delivery', {
  pipelineName: PIPELINE_NAME,
  source: pipelines.CodePipelineSource.connection('example/scope-infra', 'main', { connectionArn: CONNECTION_ARN }),
  development: dev,
  production: prod,
  sandbox: { account: SANDBOX_ACCOUNT, region: REGION },
});

const integ = new IntegTest(app, 'PipelineTest', { testCases: [stack], regions: [REGION] });

integ.assertions.awsApiCall('CodePipeline', 'getPipeline', { name: PIPELINE_NAME })
  .expect(ExpectedResult.objectLike({
    pipeline: {
      name: PIPELINE_NAME,
      pipelineType: 'V2',
      artifactStore: { type: 'S3', encryptionKey: { type: 'KMS' } },
    },
  }));
