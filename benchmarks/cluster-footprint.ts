/**
 * Footprint of one ScopeCluster (defaults + helloWorld): resources by type, Lambda functions,
 * custom resources and nested stacks of the synthesized stack. Targets: 0 nested stacks, <= 2 Lambdas.
 *
 *   npx ts-node --project tsconfig.dev.json benchmarks/cluster-footprint.ts
 */
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { ScopeCluster } from '../src/cluster';

const app = new App({ outdir: path.join(os.tmpdir(), 'cdk.out-cluster-footprint') });
const stack = new Stack(app, 'ClusterFootprint', { env: { account: '123456789012', region: 'us-east-1' } });
new ScopeCluster(stack, 'Cluster', { helloWorld: true });

const assembly = app.synth();
const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string }> };
const resources = Object.entries(template.Resources);
const byType = new Map<string, number>();
for (const [, r] of resources) byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);

const ofType = (pred: (t: string) => boolean) => resources.filter(([, r]) => pred(r.Type)).map(([id]) => id);
const lambdas = ofType(t => t === 'AWS::Lambda::Function');
const customResources = ofType(t => t.startsWith('Custom::') || t === 'AWS::CloudFormation::CustomResource');
const nestedStacks = ofType(t => t === 'AWS::CloudFormation::Stack');

console.log(`resources: ${resources.length}`);
for (const [type, n] of [...byType.entries()].sort()) console.log(`  ${String(n).padStart(3)}  ${type}`);
console.log(`lambda functions: ${lambdas.length}${lambdas.length ? ` (${lambdas.join(', ')})` : ''}`);
console.log(`custom resources: ${customResources.length}${customResources.length ? ` (${customResources.join(', ')})` : ''}`);
console.log(`nested stacks: ${nestedStacks.length}`);

const ok = nestedStacks.length === 0 && lambdas.length <= 2;
console.log(ok ? 'OK: 0 nested stacks, <= 2 Lambda functions' : 'OVER TARGET: want 0 nested stacks and <= 2 Lambda functions');
process.exitCode = ok ? 0 : 1;
