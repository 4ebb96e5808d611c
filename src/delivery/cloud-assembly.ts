/**
 * Finds a stack's synthesized template in a cloud assembly (cdk.out), including the nested
 * assemblies of stages (`assembly-<stage>/`), by reading the manifest.json files: artifacts of
 * type `aws:cloudformation:stack` name their `templateFile` and `stackName`, artifacts of type
 * `cdk:cloud-assembly` their `directoryName`.
 */
import * as fs from 'fs';
import * as path from 'path';

/** One stack found in a cloud assembly. */
export interface AssemblyStack {
  /** The CloudFormation stack name. */
  readonly stackName: string;
  /** The path of the stack in the app, e.g. `prod/Scope`. */
  readonly displayName: string;
  /** The template file. */
  readonly templateFile: string;
  /** Account of the stack's environment, if it has one. */
  readonly account?: string;
  /** Region of the stack's environment, if it has one. */
  readonly region?: string;
}

/** Every stack in the assembly at `dir` and in its nested assemblies. */
export function assemblyStacks(dir: string): AssemblyStack[] {
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...assemblyStacks(path.join(dir, artifact.properties.directoryName)));
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
    const concrete = (value: string | undefined) => value && !value.startsWith('unknown-') ? value : undefined;
    stacks.push({
      stackName: artifact.properties?.stackName ?? id,
      displayName: artifact.displayName ?? id,
      templateFile: path.join(dir, artifact.properties.templateFile),
      account: concrete(env?.[1]),
      region: concrete(env?.[2]),
    });
  }
  return stacks;
}

/** The stack named `name` (stack name or display path) in the assembly at `dir`; throws if none or several. */
export function findStack(dir: string, name: string): AssemblyStack {
  const stacks = assemblyStacks(dir);
  const found = stacks.filter(s => s.stackName === name || s.displayName === name);
  if (found.length === 1) return found[0];
  const known = stacks.map(s => s.stackName).join(', ') || 'none';
  throw new Error(found.length === 0
    ? `no stack '${name}' in ${dir} (stacks: ${known})`
    : `${found.length} stacks named '${name}' in ${dir}: name one by its display path (${found.map(s => s.displayName).join(', ')})`);
}
