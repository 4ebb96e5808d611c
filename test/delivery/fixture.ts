/** A pipeline app like a consuming repo's: tooling account, sandbox, dev and prod stages. */
import { App, Stack } from 'aws-cdk-lib';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { DEV_ENV, DEV_PROPS, PROD_ENV, PROD_PROPS } from '../../example/environments';
import { ScopeDeliveryPipeline, ScopeDeliveryPipelineProps, ScopeEnvironmentStage } from '../../src';

export const TOOLING_ENV = { account: '333333333333', region: 'eu-west-1' };
export const SANDBOX_ACCOUNT = '444444444444';
export const CONNECTION_ARN = 'arn:aws:codeconnections:eu-west-1:333333333333:connection/11111111-2222-3333-4444-555555555555';

export interface PipelineApp {
  readonly app: App;
  readonly stack: Stack;
  readonly delivery: ScopeDeliveryPipeline;
  readonly dev: ScopeEnvironmentStage;
  readonly prod: ScopeEnvironmentStage;
}

/** The app, with `props` overriding the pipeline's props. */
export function pipelineApp(props: Partial<ScopeDeliveryPipelineProps> = {}): PipelineApp {
  const app = new App();
  const stack = new Stack(app, 'ScopePipeline', { env: TOOLING_ENV });
  const dev = new ScopeEnvironmentStage(app, 'dev', { env: DEV_ENV, environment: DEV_PROPS });
  const prod = new ScopeEnvironmentStage(app, 'prod', { env: PROD_ENV, environment: PROD_PROPS });
  const delivery = new ScopeDeliveryPipeline(stack, 'Delivery', {
    source: pipelines.CodePipelineSource.connection('example/scope-infra', 'main', { connectionArn: CONNECTION_ARN }),
    development: dev,
    production: prod,
    sandbox: { account: SANDBOX_ACCOUNT, region: 'eu-west-1' },
    ...props,
  });
  return { app, stack, delivery, dev, prod };
}
