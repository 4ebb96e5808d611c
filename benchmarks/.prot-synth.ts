import { App, Stack } from 'aws-cdk-lib';
import * as fs from 'fs';
import { EnvironmentProfile, ScopeEnvironment } from '../src';
for (const [id, p] of [['dev', EnvironmentProfile.DEVELOPMENT], ['prod', EnvironmentProfile.PRODUCTION]] as const) {
  const app = new App();
  const stack = new Stack(app, id, { env: { account: '111111111111', region: 'us-east-1' } });
  new ScopeEnvironment(stack, id, { profile: p, domain: { zoneName: `${id}.scope.example.com` } });
  fs.writeFileSync(`/tmp/prot-${id}.json`, JSON.stringify(app.synth().getStackByName(id).template, null, 1));
}
