/**
 * Prints one line per stack of a synthesized cloud assembly: stack name, resource count,
 * Lambda function count and output names. Usage: ts-node example/summary.ts <cdk.out>
 */
import * as fs from 'fs';
import * as path from 'path';

const outdir = process.argv[2] ?? 'example/cdk.out';
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));

for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
  if (artifact.type !== 'aws:cloudformation:stack') continue;
  const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8'));
  const resources = Object.values<any>(template.Resources ?? {});
  const lambdas = resources.filter(r => r.Type === 'AWS::Lambda::Function').length;
  const outputs = Object.keys(template.Outputs ?? {}).join(', ') || '(none)';
  console.log(`${name} (${artifact.environment}): ${resources.length} resources, ${lambdas} Lambda functions; outputs: ${outputs}`);
}
