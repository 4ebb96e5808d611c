/**
 * ScopeEnvironmentStage: one environment as a CDK Pipelines deployment unit, a `cdk.Stage`
 * holding one stack with one ScopeEnvironment, in the stage's account and region.
 */
import { Stack, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ScopeEnvironment, ScopeEnvironmentProps } from '../environment';

/** Props of ScopeEnvironmentStage. */
export interface ScopeEnvironmentStageProps extends StageProps {
  /**
   * The environment's props (profile, domain, ...).
   * @default {} (a DEVELOPMENT environment)
   */
  readonly environment?: ScopeEnvironmentProps;
  /**
   * Construct id of the stack inside the stage (part of the default stack name `<stage id>-<stackId>`).
   * Never change it for a deployed stage: it names the stack.
   * @default 'Scope'
   */
  readonly stackId?: string;
  /**
   * The CloudFormation stack name.
   * @default `<stage id>-<stackId>`, the name CDK gives a stack in a stage
   */
  readonly stackName?: string;
  /**
   * Termination protection of the stack.
   * @default false
   */
  readonly terminationProtection?: boolean;
}

/**
 * One ScopeEnvironment in its own stack, as a stage of a CDK pipeline (ScopeDeliveryPipeline)
 * or of a plain app. The environment's construct id is the stage's id, so its default `envName`
 * is the stage id (`new ScopeEnvironmentStage(app, 'prod', ...)` builds environment `prod`).
 */
export class ScopeEnvironmentStage extends Stage {
  /** The stack that holds the environment. */
  public readonly stack: Stack;
  /** The environment. */
  public readonly environment: ScopeEnvironment;

  constructor(scope: Construct, id: string, props: ScopeEnvironmentStageProps = {}) {
    super(scope, id, props);
    this.stack = new Stack(this, props.stackId ?? 'Scope', {
      stackName: props.stackName,
      terminationProtection: props.terminationProtection,
      description: `cdk-scope-environment: the ${id} environment`,
    });
    this.environment = new ScopeEnvironment(this.stack, id, props.environment ?? {});
  }
}
