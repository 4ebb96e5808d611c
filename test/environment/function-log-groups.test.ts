/**
 * Every Lambda function of an environment (kubectl handler, provider frameworks, the database
 * bootstrap) logs into a log group its template states, with the profile's retention, the
 * environment key in PRODUCTION, and deleted with the stack; whether or not the app sets
 * `@aws-cdk/aws-lambda:useCdkManagedLogGroup` (which `cdk init` turns on and which would otherwise
 * give each function a retained, 731-day, unencrypted group). The CustomResourceProvider singletons
 * of aws-cdk-lib (S3 auto-delete) and of the library (ACM validation cleanup) are not
 * `lambda.Function`s: the flag does not touch them, Lambda creates their groups (README "What
 * `cdk destroy` does not remove").
 */
import { App, Stack } from 'aws-cdk-lib';
import { ScopeEnvironment } from '../../src';
import { DEV_ENV, DEV_PROPS, PROD_ENV, PROD_PROPS, resourcesOfType } from '../safety/environments';

const FLAG = '@aws-cdk/aws-lambda:useCdkManagedLogGroup';

/** Both example environments' templates, with the flag on or off. */
function templates(flag: boolean): { dev: any; prod: any } {
  const app = new App({ context: { [FLAG]: flag } });
  new ScopeEnvironment(new Stack(app, 'scope-dev', { env: DEV_ENV }), 'dev', DEV_PROPS);
  new ScopeEnvironment(new Stack(app, 'scope-prod', { env: PROD_ENV }), 'prod', PROD_PROPS);
  const assembly = app.synth();
  return { dev: assembly.getStackByName('scope-dev').template, prod: assembly.getStackByName('scope-prod').template };
}

const CUSTOM_RESOURCE_PROVIDERS = /^(CustomS3AutoDeleteObjectsCustomResourceProviderHandler|ScopeAcmValidationCleanupCustomResourceProviderHandler)/;

/**
 * function logical id -> the log group it logs into (logical id and its properties/policy), found
 * as LoggingConfig.LogGroup `{ Ref }` or as a group named `/aws/lambda/<Ref function>`.
 */
function functionLogGroups(template: any): Record<string, { id: string; retention: unknown; key: boolean; deletionPolicy: unknown } | undefined> {
  const groups = resourcesOfType(template, 'AWS::Logs::LogGroup');
  const describe = ([id, g]: [string, any]) => ({
    id,
    retention: g.Properties.RetentionInDays,
    key: g.Properties.KmsKeyId !== undefined,
    deletionPolicy: g.DeletionPolicy,
  });
  return Object.fromEntries(resourcesOfType(template, 'AWS::Lambda::Function')
    .filter(([id]) => !CUSTOM_RESOURCE_PROVIDERS.test(id))
    .map(([id, fn]) => {
      const ref = fn.Properties.LoggingConfig?.LogGroup?.Ref;
      const byName = groups.find(([, g]) => JSON.stringify(g.Properties.LogGroupName ?? null) === JSON.stringify({ 'Fn::Join': ['', ['/aws/lambda/', { Ref: id }]] }));
      const group = ref ? groups.find(([gid]) => gid === ref) : byName;
      return [id, group && describe(group)];
    }));
}

describe('the log group of every function of the environment is stated in the template', () => {
  const off = templates(false);
  const on = templates(true);

  test.each([['off', off], ['on', on]])('flag %s: every function has a group; it expires, goes with the stack, and in PRODUCTION uses the key', (_flag, t) => {
    for (const [profile, template, retention] of [['dev', t.dev, 30], ['prod', t.prod, 365]] as const) {
      const groups = functionLogGroups(template);
      expect(Object.keys(groups).filter(id => /Kubectl/.test(id))).toHaveLength(2); // handler + provider framework
      for (const [fn, group] of Object.entries(groups)) {
        expect({ profile, fn, group }).toEqual({ profile, fn, group: { id: expect.any(String), retention, key: profile === 'prod', deletionPolicy: 'Delete' } });
      }
    }
  });

  test('the flag changes neither which log groups exist nor their logical ids', () => {
    const ids = (template: any) => resourcesOfType(template, 'AWS::Logs::LogGroup').map(([id]) => id).sort();
    expect(ids(on.dev)).toEqual(ids(off.dev));
    expect(ids(on.prod)).toEqual(ids(off.prod));
    expect(ids(off.prod).filter(id => /Kubectl/.test(id))).toHaveLength(2);
  });
});
