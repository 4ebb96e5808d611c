/**
 * Every Kubernetes object and Helm values document the stacks apply, read back from synthesized
 * templates: the `Manifest` of each Custom::AWSCDK-EKS-KubernetesResource (a JSON string, or an
 * Fn::Join of one whose references become `<Ref:Id>` placeholders), the `ApplyPatch` of each
 * Custom::AWSCDK-EKS-KubernetesPatch and the `Values` of each Custom::AWSCDK-EKS-HelmChart.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { render } from '../gitops/manifests';

/** One Kubernetes object and where it comes from (`<app>/<stack>/<logical id>`). */
export interface AppliedObject {
  readonly where: string;
  readonly object: any;
}

/** One Helm release's chart, version and values. */
export interface HelmValues {
  readonly where: string;
  readonly chart: string;
  readonly version: string;
  readonly values: any;
}

/** A template's objects and Helm values, tagged with `name`. */
export function collect(name: string, template: any): { objects: AppliedObject[]; helm: HelmValues[]; patches: AppliedObject[] } {
  const objects: AppliedObject[] = [];
  const helm: HelmValues[] = [];
  const patches: AppliedObject[] = [];
  for (const [id, resource] of Object.entries<any>(template.Resources ?? {})) {
    const where = `${name}/${id}`;
    const props = resource.Properties ?? {};
    if (resource.Type === 'Custom::AWSCDK-EKS-KubernetesResource') {
      for (const object of JSON.parse(render(props.Manifest))) objects.push({ where, object });
    } else if (resource.Type === 'Custom::AWSCDK-EKS-KubernetesPatch') {
      patches.push({ where, object: { resourceName: props.ResourceName, patch: JSON.parse(render(props.ApplyPatchJson)) } });
    } else if (resource.Type === 'Custom::AWSCDK-EKS-HelmChart') {
      helm.push({ where, chart: props.Chart, version: props.Version, values: props.Values ? JSON.parse(render(props.Values)) : {} });
    }
  }
  return { objects, helm, patches };
}

/**
 * Synthesizes the integ app `file` in this process and returns its templates by stack name. The
 * integ apps create `new App()` and rely on the CDK CLI's auto-synth (an App synthesizes on
 * `beforeExit` when CDK_OUTDIR is set); the listener is captured and run here instead.
 */
export function synthIntegApp(file: string): { [stackName: string]: any } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-k8s-'));
  const listeners: Array<() => void> = [];
  const original = process.once.bind(process);
  const spy = jest.spyOn(process, 'once').mockImplementation(((event: string, listener: () => void) => {
    if (event === 'beforeExit') listeners.push(listener); else original(event, listener);
    return process;
  }) as any);
  process.env.CDK_OUTDIR = outdir;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
  } finally {
    spy.mockRestore();
    delete process.env.CDK_OUTDIR;
  }
  if (listeners.length !== 1) throw new Error(`${file}: expected one App, found ${listeners.length}`);
  listeners[0]();
  const templates: { [stackName: string]: any } = {};
  for (const entry of fs.readdirSync(outdir, { recursive: true }) as string[]) {
    if (entry.endsWith('.template.json')) templates[path.basename(entry, '.template.json')] = JSON.parse(fs.readFileSync(path.join(outdir, entry), 'utf8'));
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  return templates;
}
