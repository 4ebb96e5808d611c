/**
 * Reading synthesized cloud assemblies: templates, their resources, assets and dependency edges.
 * Shared by footprint.ts, critical-path.ts and cost.ts; no aws-cdk-lib import (plain JSON).
 */
import * as fs from 'fs';
import * as path from 'path';

/** One CloudFormation resource as it appears in a template. */
export interface Resource {
  readonly Type: string;
  readonly Properties?: any;
  readonly DependsOn?: string | string[];
  readonly Metadata?: { [key: string]: any };
}

export interface Template {
  readonly Resources: { [logicalId: string]: Resource };
  readonly Outputs?: { [id: string]: unknown };
}

/** A synthesized stack: its template, the size of the template file and its assets. */
export interface SynthesizedStack {
  readonly name: string;
  readonly template: Template;
  /** Bytes of the template file as written (what `cdk deploy` uploads). */
  readonly templateBytes: number;
  /** File assets (Lambda code, layers) and container images from the assets manifest. */
  readonly fileAssets: number;
  readonly imageAssets: number;
  /** Bytes of the file assets' sources in the assembly. */
  readonly assetBytes: number;
}

/** Every stack of the cloud assembly in `outdir`. */
export function readAssembly(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([name, a]) => {
      const templateFile = path.join(outdir, a.properties.templateFile);
      const assets = JSON.parse(fs.readFileSync(path.join(outdir, `${name}.assets.json`), 'utf8'));
      // The template itself is a file asset too; count only the others.
      const files = Object.values<any>(assets.files ?? {}).filter(f => !f.source.path.endsWith('.template.json'));
      return {
        name,
        template: JSON.parse(fs.readFileSync(templateFile, 'utf8')),
        templateBytes: fs.statSync(templateFile).size,
        fileAssets: files.length,
        imageAssets: Object.keys(assets.dockerImages ?? {}).length,
        assetBytes: files.reduce((sum, f) => sum + sizeOf(path.join(outdir, f.source.path)), 0),
      };
    });
}

function sizeOf(p: string): number {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.size;
  return fs.readdirSync(p).reduce((sum, child) => sum + sizeOf(path.join(p, child)), 0);
}

export const isLambda = (type: string) => type === 'AWS::Lambda::Function';
export const isCustomResource = (type: string) => type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
export const isNestedStack = (type: string) => type === 'AWS::CloudFormation::Stack';

/** Logical IDs of the resources of `template` whose type satisfies `pred`. */
export function idsOf(template: Template, pred: (type: string) => boolean): string[] {
  return Object.entries(template.Resources).filter(([, r]) => pred(r.Type)).map(([id]) => id);
}

/**
 * The resources each resource waits for: DependsOn, Ref, Fn::GetAtt and the `${X}` / `${X.Attr}`
 * references of Fn::Sub (pseudo parameters and parameters are not resources and are dropped).
 */
export function dependencies(template: Template): Map<string, Set<string>> {
  const ids = new Set(Object.keys(template.Resources));
  const deps = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const found = new Set<string>(typeof resource.DependsOn === 'string' ? [resource.DependsOn] : resource.DependsOn ?? []);
    collectRefs(resource.Properties, found);
    deps.set(id, new Set([...found].filter(d => ids.has(d) && d !== id)));
  }
  return deps;
}

function collectRefs(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach(v => collectRefs(v, found));
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') {
        found.add(v);
      } else if (key === 'Fn::GetAtt') {
        found.add(Array.isArray(v) ? v[0] : String(v).split('.')[0]);
      } else if (key === 'Fn::Sub') {
        const [text, vars] = Array.isArray(v) ? v : [v, {}];
        for (const m of String(text).matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const name = m[1].split('.')[0];
          if (!(vars && name in vars)) found.add(name);
        }
        collectRefs(vars, found);
      } else {
        collectRefs(v, found);
      }
    }
  }
}

/**
 * The part a resource belongs to: the child of `scopePath` in its `aws:cdk:path` metadata
 * (`Dev/dev/Cluster/...` under `Dev/dev` => `Cluster`); resources outside the scope (stack-level
 * singletons such as the S3 auto-delete provider) are `(stack)`.
 */
export function partOf(resource: Resource, scopePath: string): string {
  const cdkPath: string | undefined = resource.Metadata?.['aws:cdk:path'];
  if (!cdkPath) return '(unknown)';
  return cdkPath.startsWith(`${scopePath}/`) ? cdkPath.slice(scopePath.length + 1).split('/')[0] : '(stack)';
}
