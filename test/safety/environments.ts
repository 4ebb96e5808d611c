/**
 * The environments the safety tests check: a DEVELOPMENT and a PRODUCTION environment built the
 * way example/app.ts builds them (domain, helloWorld in dev, Pod Identity and an alias in prod).
 */
import { App, AppProps, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EnvironmentProfile, ScopeEnvironment, ScopeEnvironmentProps } from '../../src';

export const DEV_ENV = { account: '111111111111', region: 'eu-west-1' };
export const PROD_ENV = { account: '222222222222', region: 'eu-west-1' };

export const DEV_PROPS: ScopeEnvironmentProps = {
  profile: EnvironmentProfile.DEVELOPMENT,
  cluster: { helloWorld: true },
  domain: { zoneName: 'dev.scope.example.com' },
};

export const PROD_PROPS: ScopeEnvironmentProps = {
  profile: EnvironmentProfile.PRODUCTION,
  cluster: { nodeCount: 5, instanceType: new ec2.InstanceType('m7i.large') },
  reports: { tableName: 'prod_reports' },
  users: { podIdentity: true },
  domain: { zoneName: 'prod.scope.example.com', aliases: [{ name: 'scope.prod.scope.example.com' }] },
  tags: { 'cost-center': 'scope' },
};

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
