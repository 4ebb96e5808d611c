/**
 * Helpers to read the Kubernetes objects that aws-eks-v2 writes into a template (the `Manifest`
 * property of a Custom::AWSCDK-EKS-KubernetesResource, a JSON string or an Fn::Join of one) and
 * to validate Flux objects against the CRD schemas of @kubernetes-models/flux-cd.
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { isFluxObject, modelErrors } from '../kubernetes/schemas';

/** A CloudFormation string value as text: literals kept, references shown as `<Ref:Id>` / `<GetAtt:Id.Attr>`. */
export function render(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(render).join(value['Fn::Join'][0]);
  if (value.Ref) return `<Ref:${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<GetAtt:${value['Fn::GetAtt'].join('.')}>`;
  return `<${Object.keys(value)[0]}>`;
}

/** Logical ID of the custom resource behind a KubernetesManifest or HelmChart. */
export function logicalId(construct: IConstruct): string {
  let child: IConstruct | undefined = construct;
  while (child && !(child instanceof CfnResource)) child = child.node.defaultChild;
  if (!child) throw new Error(`no CloudFormation resource under ${construct.node.path}`);
  return Stack.of(construct).getLogicalId(child as CfnResource);
}

/** The Kubernetes objects of a KubernetesManifest, read back from `template`. */
export function objectsOf(template: any, manifest: IConstruct): any[] {
  const resource = template.Resources[logicalId(manifest)];
  expect(resource.Type).toBe('Custom::AWSCDK-EKS-KubernetesResource');
  return JSON.parse(render(resource.Properties.Manifest));
}

/** The raw `Manifest` property (to check which CloudFormation references it holds). */
export function rawManifest(template: any, manifest: IConstruct): any {
  return template.Resources[logicalId(manifest)].Properties.Manifest;
}

/**
 * Schema errors of each Flux object ('' when valid), from @kubernetes-models/flux-cd (the Flux
 * CRDs' OpenAPI schemas), through the same validator as every other Kubernetes object.
 */
export function fluxSchemaErrors(objects: any[]): string[] {
  const errors = modelErrors(objects);
  return objects.map((o, i) => (isFluxObject(o) ? errors[i] : `no Flux model for ${o.apiVersion} ${o.kind}`));
}
