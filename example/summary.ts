/**
 * Prints, per stack of a synthesized cloud assembly: stack name and environment, resource count,
 * Lambda function count, the warnings and errors `cdk synth` shows for it (its annotations, in the
 * CLI's own form: formatAnnotation), then every output with its value where synthesis already knows it
 * (e.g. the frontend URL, the queue prefix, a given table name) and `(known after deploy)` where
 * CloudFormation fills it in. Usage: ts-node example/summary.ts <cdk.out>
 */
import * as fs from 'fs';
import * as path from 'path';

/** The output's value if the template holds it as plain text (a string, or Fn::Join of strings). */
export function knownValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const join = (value as any)?.['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map(knownValue);
    return parts.every(p => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  return undefined;
}

const LEVELS: Record<string, string> = { 'aws:cdk:error': 'ERROR', 'aws:cdk:warning': 'WARNING', 'aws:cdk:info': 'INFO' };

/** One annotation of a stack (Annotations.of(...).addWarningV2 and friends). */
export interface Annotation {
  readonly level: string;
  /** The construct path, as the CLI shows it (no leading `/`). */
  readonly constructPath: string;
  /** The message without its `[ack: <id>]` tag. */
  readonly message: string;
  /** The id to acknowledge it with (`[ack: <id>]` in the metadata), if it has one. */
  readonly ack?: string;
}

/**
 * The construct metadata of a stack artifact: inline (`metadata`) and, since cloud assembly schema
 * 3x, in the file `additionalMetadataFile` names.
 */
export function stackMetadata(outdir: string, artifact: any): Record<string, any[]> {
  const file = artifact.additionalMetadataFile ? JSON.parse(fs.readFileSync(path.join(outdir, artifact.additionalMetadataFile), 'utf8')) : {};
  const merged: Record<string, any[]> = { ...file };
  for (const [constructPath, entries] of Object.entries<any[]>(artifact.metadata ?? {})) {
    merged[constructPath] = [...merged[constructPath] ?? [], ...entries];
  }
  return merged;
}

/** The annotations of a stack artifact. */
export function annotations(outdir: string, artifact: any): Annotation[] {
  const found: Annotation[] = [];
  for (const [constructPath, entries] of Object.entries(stackMetadata(outdir, artifact))) {
    for (const entry of entries) {
      const level = LEVELS[entry.type];
      if (!level) continue;
      const text = String(entry.data).replace(/\s+/g, ' ').trim();
      const ack = /\[ack:\s*([^\]]+)\]/.exec(text)?.[1].trim();
      const message = text.replace(/\s*\[ack:\s*[^\]]+\]\s*/g, ' ').trim();
      found.push({ level, constructPath: constructPath.replace(/^\//, ''), message, ack });
    }
  }
  return found;
}

/**
 * An annotation as `cdk synth` of the aws-cdk CLI 2.11xx prints it (its ValidationReportFormatter,
 * minus the source-location line above it): `WARNING <message> (Construct Annotations)`, the
 * construct path, `Acknowledge with 'Annotation::<id>'`.
 */
export function formatAnnotation(annotation: Annotation): string[] {
  return [
    `${annotation.level} ${annotation.message} (Construct Annotations)`,
    `   ${annotation.constructPath}`,
    ...annotation.ack ? [`   Acknowledge with 'Annotation::${annotation.ack}'`] : [],
  ];
}

/** The summary lines of the assembly in `outdir`. */
export function summary(outdir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const lines: string[] = [];
  for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf8'));
    const resources = Object.values<any>(template.Resources ?? {});
    const lambdas = resources.filter(r => r.Type === 'AWS::Lambda::Function').length;
    lines.push(`${name} (${artifact.environment}): ${resources.length} resources, ${lambdas} Lambda functions`);
    lines.push(...annotations(outdir, artifact).flatMap(formatAnnotation).map(line => `  ${line}`));
    for (const [key, output] of Object.entries<any>(template.Outputs ?? {})) {
      lines.push(`  ${key}: ${knownValue(output.Value) ?? '(known after deploy)'}`);
    }
  }
  return lines;
}

if (require.main === module) {
  console.log(summary(process.argv[2] ?? 'example/cdk.out').join('\n'));
}
