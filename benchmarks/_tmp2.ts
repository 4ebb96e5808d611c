import { App, Stack } from 'aws-cdk-lib';
import { ScopeEnvironment, EnvironmentProfile } from '../src';
const app = new App();
const s = new Stack(app, 'Dev', { env: { account: '111111111111', region: 'us-east-1' } });
new ScopeEnvironment(s, 'dev', { profile: EnvironmentProfile.DEVELOPMENT });
const t = app.synth().getStackByName('Dev').template;
for (const [id, r] of Object.entries<any>(t.Resources)) if (['AWS::EKS::Nodegroup','AWS::EKS::Addon','AWS::EC2::LaunchTemplate'].includes(r.Type)) console.log(id, JSON.stringify(r, null, 1).slice(0, 1500));
