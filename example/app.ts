/**
 * The way a consuming repo writes it: one stack per environment, each in its own account.
 * Synthesize with `npx projen example` (no AWS credentials needed).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EnvironmentProfile, ScopeEnvironment } from '../src';

const app = new App({ outdir: 'example/cdk.out' });

// dev: cheap, removed completely by `cdk destroy`. Its zone is delegated by hand (name servers output).
const devStack = new Stack(app, 'scope-dev', { env: { account: '111111111111', region: 'eu-west-1' } });
new ScopeEnvironment(devStack, 'dev', {
  profile: EnvironmentProfile.DEVELOPMENT,
  cluster: { helloWorld: true },
  domain: { zoneName: 'dev.scope.example.com' },
});

// prod: keeps its data (snapshots, retained table, bucket and zone), 3 AZs, Pod Identity for the services.
const prodStack = new Stack(app, 'scope-prod', { env: { account: '222222222222', region: 'eu-west-1' } });
new ScopeEnvironment(prodStack, 'prod', {
  profile: EnvironmentProfile.PRODUCTION,
  cluster: { nodeCount: 5, instanceType: new ec2.InstanceType('m7i.large') },
  reports: { tableName: 'prod_reports' },
  users: { podIdentity: true },
  domain: { zoneName: 'prod.scope.example.com', aliases: [{ name: 'scope.prod.scope.example.com' }] },
  tags: { 'cost-center': 'scope' },
});

app.synth();
