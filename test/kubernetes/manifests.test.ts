/**
 * Every Kubernetes object the stacks apply is one the API server accepts, and every pod the
 * library runs itself meets Pod Security "restricted". Read from the templates of the example's
 * two environments, the integ apps that run a cluster (integ.pipeline's stages are ScopeEnvironments
 * with the profile defaults, which the example covers) and one more environment for what neither
 * deploys: GitOps from a private repository, with the frontend Service in the application's namespace.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AppliedObject, collect, HelmValues, synthIntegApp } from './collect';
import { podSecurityViolations, podSpecOf } from './pod-security';
import { definitionErrors, modelErrors, openApiErrors } from './schemas';
import { EnvironmentProfile, ScopeEnvironment } from '../../src';
import { exampleProfiles } from '../evaluators/profiles';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8'));
/** The TargetGroupBinding CRD schema of chart 1.14.0 (source inside the file). */
const TGB = fixture('targetgroupbinding-v1beta1.json');
/** Top-level values.yaml keys of each aws-load-balancer-controller chart version (source inside the file). */
const CONTROLLER_VALUES = fixture('aws-load-balancer-controller-values-keys.json');
const INTEG_APPS = ['integ.cluster', 'integ.gitops', 'integ.https', 'integ.scope-environment'];

function privateGitOps(): any {
  const stack = new Stack(new App(), 'scope-gitops', { env: { account: '111111111111', region: 'eu-west-1' } });
  new ScopeEnvironment(stack, 'git', {
    profile: EnvironmentProfile.PRODUCTION,
    users: { podIdentity: true },
    cluster: { frontend: { namespace: 'scope' } },
    gitOps: { repository: 'ssh://git@github.com/example/scope-app', secret: secretsmanager.Secret.fromSecretNameV2(stack, 'Key', 'scope/deploy-key') },
  });
  return App.of(stack)!.synth().getStackByName(stack.stackName).template;
}

const templates: Array<[string, any]> = [
  ...exampleProfiles().map(p => [`example/${p.name}`, p.template] as [string, any]),
  ...INTEG_APPS.flatMap(app => Object.entries(synthIntegApp(path.join(__dirname, '..', '..', 'integ', `${app}.ts`))).map(([stack, t]) => [`${app}/${stack}`, t] as [string, any])),
  ['gitops-private', privateGitOps()],
];
const collected = templates.map(([name, template]) => collect(name, template));
const objects: AppliedObject[] = collected.flatMap(c => c.objects);
const patches: AppliedObject[] = collected.flatMap(c => c.patches);
const helm: HelmValues[] = collected.flatMap(c => c.helm);
const label = (o: AppliedObject) => `${o.where}: ${o.object.kind} ${o.object.metadata?.namespace ?? ''}/${o.object.metadata?.name}`;

test('the sources hold what this test is about', () => {
  for (const app of ['example/dev', 'example/prod', ...INTEG_APPS, 'gitops-private']) {
    expect([app, objects.some(o => o.where.startsWith(`${app}/`))]).toEqual([app, true]);
  }
  const kinds = new Set(objects.map(o => o.object.kind));
  for (const kind of ['Deployment', 'Service', 'TargetGroupBinding', 'GitRepository', 'Kustomization', 'CronJob', 'Job', 'Namespace', 'ConfigMap']) {
    expect(kinds).toContain(kind);
  }
});

test('built-in and Flux objects match their schemas (kubernetes-models, @kubernetes-models/flux-cd)', () => {
  const checked = objects.filter(o => o.object.kind !== 'TargetGroupBinding');
  const errors = modelErrors(checked.map(o => o.object));
  expect(checked.map((o, i) => errors[i] ? `${label(o)}: ${errors[i]}` : '').filter(Boolean)).toEqual([]);
});

test('TargetGroupBindings match the controller CRD (chart 1.14.0, crds/crds.yaml)', () => {
  const bindings = objects.filter(o => o.object.kind === 'TargetGroupBinding');
  expect(bindings.length).toBeGreaterThan(0);
  for (const binding of bindings) {
    expect(binding.object.apiVersion).toBe(`${TGB.group}/${TGB.version}`);
    expect([label(binding), openApiErrors(TGB.openAPIV3Schema, binding.object)]).toEqual([label(binding), []]);
  }
});

test('every pod the stacks run meets Pod Security restricted, read-only root, no needless token, images by digest', () => {
  const pods = objects.filter(o => podSpecOf(o.object));
  expect(pods.length).toBeGreaterThan(0);
  expect(pods.map(o => [label(o), podSecurityViolations(podSpecOf(o.object))]).filter(([, v]) => v.length)).toEqual([]);
});

test('one owner per Kubernetes object', () => {
  for (const [name] of templates) {
    const keys = objects.filter(o => o.where.startsWith(`${name}/`))
      .map(o => `${o.object.apiVersion} ${o.object.kind} ${o.object.metadata?.namespace ?? ''}/${o.object.metadata?.name}`);
    const twice = keys.filter((key, i) => keys.indexOf(key) !== i);
    expect([name, twice]).toEqual([name, []]);
  }
});

test('the frontend Service\'s namespace carries the pod readiness gate label', () => {
  for (const [name] of templates) {
    const bindings = objects.filter(o => o.where.startsWith(`${name}/`) && o.object.kind === 'TargetGroupBinding');
    for (const binding of bindings) {
      const namespace = binding.object.metadata.namespace;
      const owner = objects.find(o => o.where.startsWith(`${name}/`) && o.object.kind === 'Namespace' && o.object.metadata.name === namespace);
      const patch = patches.find(p => p.where.startsWith(`${name}/`) && p.object.resourceName === `namespace/${namespace}`);
      const labels = owner?.object.metadata.labels ?? patch?.object.patch.metadata?.labels;
      expect([label(binding), labels]).toEqual([label(binding), expect.objectContaining({ 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled' })]);
    }
  }
});

test('the load balancer controller\'s Helm values are values its chart reads, of the right Kubernetes types', () => {
  const releases = helm.filter(h => h.chart === 'aws-load-balancer-controller');
  expect(releases.length).toBeGreaterThan(0);
  for (const release of releases) {
    const chart = CONTROLLER_VALUES.charts[release.version];
    expect([release.where, release.version, chart ? 'known' : 'add its values.yaml keys to fixtures/aws-load-balancer-controller-values-keys.json'])
      .toEqual([release.where, release.version, 'known']);
    expect([release.where, Object.keys(release.values).filter(k => !chart.keys.includes(k))]).toEqual([release.where, []]);
    const typed: Array<{ schema: string; value: unknown }> = [
      ...(release.values.topologySpreadConstraints ?? []).map((value: unknown) => ({ schema: 'IoK8sApiCoreV1TopologySpreadConstraint', value })),
      ...(release.values.resources ? [{ schema: 'IoK8sApiCoreV1ResourceRequirements', value: release.values.resources }] : []),
      ...(release.values.affinity ? [{ schema: 'IoK8sApiCoreV1Affinity', value: release.values.affinity }] : []),
    ];
    expect([release.where, definitionErrors(typed).filter(Boolean)]).toEqual([release.where, []]);
  }
});
