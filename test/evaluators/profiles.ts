/**
 * The templates the evaluator tests read: the example's two environments (test/safety/environments.ts,
 * i.e. example/environments.ts DEV_PROPS and PROD_PROPS), synthesized once per test file.
 */
import { IamEvaluator } from './iam';
import { StackEnv } from './intrinsics';
import { DEV_ENV, exampleApp, PROD_ENV } from '../safety/environments';

/** One synthesized environment. */
export interface Profile {
  /** `dev` or `prod`: the environment (and queue-prefix) name. */
  readonly name: string;
  readonly env: StackEnv;
  readonly template: any;
  readonly evaluator: IamEvaluator;
}

let cached: Profile[] | undefined;

/** dev (DEVELOPMENT profile) and prod (PRODUCTION profile), as the example deploys them. */
export function exampleProfiles(): Profile[] {
  if (!cached) {
    const { app, devStack, prodStack } = exampleApp();
    const assembly = app.synth();
    cached = [
      { name: 'dev', env: DEV_ENV, stackName: devStack.stackName },
      { name: 'prod', env: PROD_ENV, stackName: prodStack.stackName },
    ].map(({ name, env, stackName }) => {
      const template = assembly.getStackByName(stackName).template;
      return { name, env, template, evaluator: new IamEvaluator(template, { ...env, stackName }) };
    });
  }
  return cached;
}
