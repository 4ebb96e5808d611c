/**
 * The way a consuming repo writes it: one stack per environment. Synthesize with
 * `npx projen example` (no AWS credentials needed).
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { ControlQueues, ReportStore } from '../src';

const app = new App({ outdir: 'example/cdk.out' });

const dev = new Stack(app, 'scope-dev', { env: { account: '111111111111', region: 'eu-west-1' } });
new ReportStore(dev, 'Reports', { envName: 'dev', removalPolicy: RemovalPolicy.DESTROY });
new ControlQueues(dev, 'Queues', { envName: 'dev' });

const prod = new Stack(app, 'scope-prod', { env: { account: '222222222222', region: 'eu-west-1' } });
new ReportStore(prod, 'Reports', { envName: 'prod', pointInTimeRecovery: true, versioned: true });
new ControlQueues(prod, 'Queues', { envName: 'prod' });

app.synth();
