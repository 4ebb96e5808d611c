/**
 * The way a consuming repo writes it: one stack per environment, each in its own account.
 * Synthesize with `npx projen example` (no AWS credentials needed).
 */
import { App, Stack } from 'aws-cdk-lib';
import { DEV_ENV, DEV_PROPS, PROD_ENV, PROD_PROPS } from './environments';
import { ScopeEnvironment } from '../src';

const app = new App({ outdir: 'example/cdk.out' });
new ScopeEnvironment(new Stack(app, 'scope-dev', { env: DEV_ENV }), 'dev', DEV_PROPS);
new ScopeEnvironment(new Stack(app, 'scope-prod', { env: PROD_ENV }), 'prod', PROD_PROPS);
app.synth();
