/**
 * What one synthesized environment puts into CloudFormation: resources, Lambda functions,
 * custom resources, nested stacks and assets, in total and per part (Vpc, Cluster, Database, ...).
 */
import { SynthesizedStack, idsOf, isCustomResource, isLambda, isNestedStack, partOf } from './template';

export interface Footprint {
  readonly resources: number;
  readonly lambdaFunctions: number;
  readonly customResources: number;
  readonly nestedStacks: number;
  readonly lambdaLayers: number;
  readonly fileAssets: number;
  readonly imageAssets: number;
  readonly assetMiB: number;
  readonly templateKiB: number;
  readonly outputs: number;
  /** Logical IDs of the Lambda functions and custom resources, to see where they come from. */
  readonly lambdaIds: string[];
  readonly customResourceIds: string[];
}

export function footprint(stack: SynthesizedStack): Footprint {
  const t = stack.template;
  const lambdaIds = idsOf(t, isLambda);
  const customResourceIds = idsOf(t, isCustomResource);
  return {
    resources: Object.keys(t.Resources).length,
    lambdaFunctions: lambdaIds.length,
    customResources: customResourceIds.length,
    nestedStacks: idsOf(t, isNestedStack).length,
    lambdaLayers: idsOf(t, type => type === 'AWS::Lambda::LayerVersion').length,
    fileAssets: stack.fileAssets,
    imageAssets: stack.imageAssets,
    assetMiB: round(stack.assetBytes / 2 ** 20, 1),
    templateKiB: round(stack.templateBytes / 1024, 1),
    outputs: Object.keys(t.Outputs ?? {}).length,
    lambdaIds,
    customResourceIds,
  };
}

export interface PartFootprint {
  readonly part: string;
  readonly resources: number;
  readonly lambdaFunctions: number;
  readonly customResources: number;
}

/** The footprint split by the construct under `scopePath` each resource belongs to. */
export function footprintByPart(stack: SynthesizedStack, scopePath: string): PartFootprint[] {
  const parts = new Map<string, { resources: number; lambdaFunctions: number; customResources: number }>();
  for (const resource of Object.values(stack.template.Resources)) {
    const part = partOf(resource, scopePath);
    const row = parts.get(part) ?? { resources: 0, lambdaFunctions: 0, customResources: 0 };
    row.resources++;
    if (isLambda(resource.Type)) row.lambdaFunctions++;
    if (isCustomResource(resource.Type)) row.customResources++;
    parts.set(part, row);
  }
  return [...parts.entries()].map(([part, row]) => ({ part, ...row }));
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
