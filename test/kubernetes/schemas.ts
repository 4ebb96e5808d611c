/**
 * Schema checks of Kubernetes objects: built-in kinds against kubernetes-models, the Flux kinds
 * against @kubernetes-models/flux-cd (both ESM-only, so they run in a child Node.js process), and
 * CRD kinds that no npm package ships against the CRD's openAPIV3Schema (a structural schema:
 * types, required, enums, patterns, bounds; unknown fields are errors, as kubectl's strict field
 * validation makes them).
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

const FLUX_GROUPS = ['source.toolkit.fluxcd.io', 'kustomize.toolkit.fluxcd.io'];

/** True for the Flux kinds, which the validator checks against @kubernetes-models/flux-cd. */
export function isFluxObject(o: { apiVersion?: string }): boolean {
  return FLUX_GROUPS.includes(String(o.apiVersion ?? '').split('/')[0]);
}

const VALIDATOR = `
const FLUX_GROUPS = ${JSON.stringify(FLUX_GROUPS)};
const modulePath = ({ apiVersion, kind }) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (FLUX_GROUPS.includes(group)) return '@kubernetes-models/flux-cd/' + group + '/' + version + '/' + kind;
  return 'kubernetes-models/' + (group ? group + '/' : '') + version + '/' + kind;
};
let input = '';
process.stdin.on('data', d => { input += d; }).on('end', async () => {
  const errors = [];
  for (const o of JSON.parse(input)) {
    if (o.schema) {
      const { validate } = await import('kubernetes-models/_schemas/' + o.schema);
      errors.push(validate(o.value) ? '' : validate.errors.map(e => e.instancePath + ' ' + e.message).join('; '));
      continue;
    }
    let Model;
    try { Model = Object.values(await import(modulePath(o)))[0]; } catch (e) { errors.push('no model for ' + o.apiVersion + ' ' + o.kind); continue; }
    try { new Model(o).validate(); errors.push(''); } catch (e) { errors.push(e.message); }
  }
  process.stdout.write(JSON.stringify(errors));
});`;

/** Schema errors of each object ('' when valid), from kubernetes-models / @kubernetes-models/flux-cd. */
export function modelErrors(objects: any[]): string[] {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', VALIDATOR], {
    input: JSON.stringify(objects),
    cwd: path.join(__dirname, '..', '..'),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out);
}

/** Errors of `value` against a kubernetes-models definition (e.g. `IoK8sApiCoreV1ResourceRequirements`). */
export function definitionErrors(items: Array<{ schema: string; value: unknown }>): string[] {
  return modelErrors(items);
}

/** Errors of `value` against an openAPIV3Schema (structural subset), each prefixed with its path. */
export function openApiErrors(schema: any, value: any, at = ''): string[] {
  if (value === null || value === undefined) return [];
  if (schema['x-kubernetes-int-or-string']) {
    return typeof value === 'string' || Number.isInteger(value) ? [] : [`${at} must be an integer or a string`];
  }
  const errors: string[] = [];
  const type = schema.type;
  const typeOk = type === undefined
    || (type === 'object' && typeof value === 'object' && !Array.isArray(value))
    || (type === 'array' && Array.isArray(value))
    || (type === 'string' && typeof value === 'string')
    || (type === 'integer' && Number.isInteger(value))
    || (type === 'number' && typeof value === 'number')
    || (type === 'boolean' && typeof value === 'boolean');
  if (!typeOk) return [`${at} must be ${type}, is ${JSON.stringify(value)}`];
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at} must be one of ${schema.enum.join(', ')}`);
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) errors.push(`${at} must match ${schema.pattern}`);
  if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at} must be >= ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at} must be <= ${schema.maximum}`);
  if (type === 'array' && schema.items) value.forEach((item: any, i: number) => errors.push(...openApiErrors(schema.items, item, `${at}/${i}`)));
  if (type === 'object') {
    for (const required of schema.required ?? []) if (value[required] === undefined) errors.push(`${at} must have ${required}`);
    for (const [key, item] of Object.entries(value)) {
      const property = schema.properties?.[key];
      if (property) errors.push(...openApiErrors(property, item, `${at}/${key}`));
      else if (typeof schema.additionalProperties === 'object') errors.push(...openApiErrors(schema.additionalProperties, item, `${at}/${key}`));
      else if (schema.properties && !schema['x-kubernetes-preserve-unknown-fields']) errors.push(`${at} has unknown field ${key}`);
    }
  }
  return errors;
}
