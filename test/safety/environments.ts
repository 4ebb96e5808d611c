/**
 * The environments the safety tests check: exactly the example's (example/environments.ts):
 * domain and helloWorld in dev, Pod Identity and an alias in prod.
 */
import { App, AppProps, Stack } from 'aws-cdk-lib';
import { DEV_ENV, DEV_PROPS, PROD_ENV, PROD_PROPS } from '../../example/environments';
import { ScopeEnvironment, ScopeEnvironmentProps } from '../../src';

export { DEV_ENV, DEV_PROPS, PROD_ENV, PROD_PROPS };

/** An app with the example's two stacks, `scope-dev` and `scope-prod`. */
export function exampleApp(appProps: AppProps = {}) {
  const app = new App(appProps);
  const devStack = new Stack(app, 'scope-dev', { env: DEV_ENV });
  const dev = new ScopeEnvironment(devStack, 'dev', DEV_PROPS);
  const prodStack = new Stack(app, 'scope-prod', { env: PROD_ENV });
  const prod = new ScopeEnvironment(prodStack, 'prod', PROD_PROPS);
  return { app, devStack, dev, prodStack, prod };
}

/** The template of one stack holding one environment `id` built from `props`. */
export function environmentTemplate(props: ScopeEnvironmentProps, id = 'prod', env = PROD_ENV): any {
  const app = new App();
  const stack = new Stack(app, `scope-${id}`, { env });
  new ScopeEnvironment(stack, id, props);
  return app.synth().getStackByName(stack.stackName).template;
}

/** `[logicalId, resource]` pairs of the template's resources of `type`. */
export function resourcesOfType(template: any, type: string): Array<[string, any]> {
  return Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);
}
