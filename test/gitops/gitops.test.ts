import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { fluxSchemaErrors, logicalId, objectsOf, render } from './manifests';
import { EnvironmentProfile, GitOps, ScopeCluster, ScopeEnvironment, ScopeEnvironmentProps } from '../../src';

const ENV = { account: '111111111111', region: 'eu-west-1' };
const REPOSITORY = 'https://github.com/example/scope-app';

function synth(props: ScopeEnvironmentProps, id = 'dev', extra?: (stack: Stack) => Partial<ScopeEnvironmentProps>) {
  const stack = new Stack(new App(), `scope-${id}`, { env: ENV });
  const environment = new ScopeEnvironment(stack, id, { ...props, ...extra?.(stack) });
  return { stack, environment, template: Template.fromStack(stack).toJSON() };
}

const lambdaCount = (template: any) => Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::Lambda::Function').length;
const dependsOn = (template: any, id: string): string[] => [template.Resources[id].DependsOn ?? []].flat();

// Synthesizing an environment takes a few seconds: build each case once.
const dev = synth({ gitOps: { repository: REPOSITORY } });
const prod = synth({ profile: EnvironmentProfile.PRODUCTION, users: { podIdentity: true } }, 'prod', stack => ({
  gitOps: {
    repository: 'ssh://git@github.com/example/scope-app',
    branch: 'release',
    path: 'deploy/production',
    interval: Duration.minutes(2),
    secret: secretsmanager.Secret.fromSecretNameV2(stack, 'RepoSecret', 'scope/deploy-key'),
  },
}));
const prodWithoutGitOps = synth({ profile: EnvironmentProfile.PRODUCTION, users: { podIdentity: true } }, 'prod');

describe('Flux', () => {
  const chartId = logicalId(dev.environment.gitOps!.flux);
  const chart = dev.template.Resources[chartId];

  test('installed from the pinned fluxcd-community flux2 chart into flux-system, waiting for the controllers', () => {
    expect(chart.Type).toBe('Custom::AWSCDK-EKS-HelmChart');
    expect(chart.Properties).toMatchObject({
      Chart: 'flux2',
      Repository: 'https://fluxcd-community.github.io/helm-charts',
      Version: GitOps.DEFAULT_CHART_VERSION,
      Namespace: 'flux-system',
      Release: 'flux',
      Wait: true,
    });
    expect(GitOps.DEFAULT_CHART_VERSION).toBe('2.18.3');
  });

  test('only source-controller and kustomize-controller (2 pods), CRDs from the chart', () => {
    const values = JSON.parse(chart.Properties.Values);
    expect(values).toMatchObject({
      installCRDs: true,
      sourceController: { create: true },
      kustomizeController: { create: true },
      helmController: { create: false },
      notificationController: { create: false },
      imageAutomationController: { create: false },
      imageReflectionController: { create: false },
      sourceWatcher: { create: false },
    });
  });

  test('the chart waits for the node group (its pods need nodes)', () => {
    expect(dependsOn(dev.template, chartId)).toContain(logicalId(dev.environment.cluster.nodegroup));
  });

  test('chartVersion overrides the pinned version', () => {
    const { environment, template } = synth({ gitOps: { repository: REPOSITORY, chartVersion: '2.17.0' } }, 'other');
    expect(template.Resources[logicalId(environment.gitOps!.flux)].Properties.Version).toBe('2.17.0');
  });
});

describe('GitRepository and Kustomization', () => {
  const [source, kustomization] = objectsOf(dev.template, dev.environment.gitOps!.sync);

  test('are valid against the Flux v1 CRD schemas', () => {
    expect([source.kind, kustomization.kind]).toEqual(['GitRepository', 'Kustomization']);
    const prodObjects = objectsOf(prod.template, prod.environment.gitOps!.sync);
    expect(fluxSchemaErrors([source, kustomization, ...prodObjects])).toEqual(['', '', '', '']);
  });

  test('the schema check finds broken objects', () => {
    const broken = { ...kustomization, spec: { ...kustomization.spec, prune: 'yes', sourceRef: undefined } };
    const [error] = fluxSchemaErrors([broken]);
    expect(error).toMatch(/sourceRef/);
    expect(error).toMatch(/prune must be boolean/);
    expect(fluxSchemaErrors([{ ...source, spec: { ...source.spec, url: undefined, ref: { branch: 5 } } }])[0])
      .toMatch(/required property url.*branch must be string|branch must be string.*required property url/);
  });

  test('one path of one branch per environment: defaults deploy/<envName> on main, every minute', () => {
    expect(source).toMatchObject({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      metadata: { name: 'dev', namespace: 'flux-system' },
      spec: { url: REPOSITORY, ref: { branch: 'main' }, interval: '60s' },
    });
    expect(source.spec.secretRef).toBeUndefined();
    expect(kustomization).toMatchObject({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      metadata: { name: 'dev', namespace: 'flux-system' },
      spec: {
        sourceRef: { kind: 'GitRepository', name: 'dev' },
        path: './deploy/dev',
        prune: true,
        wait: true,
        timeout: '300s',
        interval: '600s',
      },
    });
    expect(kustomization.spec.targetNamespace).toBeUndefined();
  });

  test('branch, path and interval are the ones given; a private repository refers to the synced Secret', () => {
    const [prodSource, prodKustomization] = objectsOf(prod.template, prod.environment.gitOps!.sync);
    expect(prodSource.spec).toMatchObject({
      url: 'ssh://git@github.com/example/scope-app',
      ref: { branch: 'release' },
      interval: '120s',
      secretRef: { name: 'prod-git-credentials' },
    });
    expect(prodKustomization.spec.path).toBe('./deploy/production');
  });

  test('come after the chart (CRDs, namespace), the filled credentials Secret and the frontend binding (readiness gates)', () => {
    const syncId = logicalId(prod.environment.gitOps!.sync);
    const credentialsId = Object.entries<any>(prod.template.Resources)
      .find(([id, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && id.includes('CredentialsSync'))![0];
    const filledId = Object.entries<any>(prod.template.Resources)
      .find(([id, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesObjectValue' && id.includes('CredentialsSyncFilled'))![0];
    const chartId = logicalId(prod.environment.gitOps!.flux);
    const bindingId = logicalId(prod.environment.cluster.frontend!.binding);
    expect(dependsOn(prod.template, syncId)).toEqual(expect.arrayContaining([chartId, filledId, bindingId]));
    expect(dependsOn(prod.template, filledId)).toContain(credentialsId);
    expect(dependsOn(prod.template, credentialsId)).toContain(chartId);
    expect(dependsOn(dev.template, logicalId(dev.environment.gitOps!.sync))).toEqual(expect.arrayContaining([
      logicalId(dev.environment.gitOps!.flux), logicalId(dev.environment.cluster.frontend!.binding),
    ]));
  });

  test('come after the environment ConfigMap, the service accounts and their Pod Identity associations', () => {
    const syncDeps = dependsOn(prod.template, logicalId(prod.environment.gitOps!.sync));
    expect(syncDeps).toContain(logicalId(prod.environment.environmentConfig!.manifest));
    const associations = Object.entries<any>(prod.template.Resources)
      .filter(([, r]) => r.Type === 'AWS::EKS::PodIdentityAssociation' && r.Properties.Namespace === 'scope');
    expect(associations).toHaveLength(3);
    for (const [id] of associations) expect(syncDeps).toContain(id);
  });
});

describe('environment ConfigMap and service accounts', () => {
  const resourceId = (template: any, type: string, pathPart: string) => Object.entries<any>(template.Resources)
    .filter(([id, r]) => r.Type === type && id.includes(pathPart)).map(([id]) => id);

  test('scope-environment in the app namespace, values bound to this environment\'s own resources', () => {
    const [configMap, ...serviceAccounts] = objectsOf(dev.template, dev.environment.environmentConfig!.manifest);
    expect(serviceAccounts).toEqual([]);
    const [tableId] = resourceId(dev.template, 'AWS::DynamoDB::Table', 'Reports');
    const [bucketId] = resourceId(dev.template, 'AWS::S3::Bucket', 'ReportsBucket');
    const [dbId] = resourceId(dev.template, 'AWS::RDS::DBInstance', 'Database');
    const appSecretId = logicalId(dev.environment.database.appSecret);
    expect(configMap).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'scope-environment', namespace: 'scope' } });
    expect(configMap.data).toEqual({
      SCOPE_ENVIRONMENT: 'dev',
      AWS_REGION: 'eu-west-1',
      REPORTS_TABLE: `<Ref:${tableId}>`,
      REPORTS_BUCKET: `<Ref:${bucketId}>`,
      CONTROL_QUEUE_PREFIX: 'dev_control_',
      DATABASE_HOST: `<GetAtt:${dbId}.Endpoint.Address>`,
      DATABASE_PORT: `<GetAtt:${dbId}.Endpoint.Port>`,
      DATABASE_NAME: 'users',
      DATABASE_SECRET_ARN: `<Ref:${appSecretId}>`,
      REPORT_WRITER_SECRET_ARN: `<Ref:${logicalId(dev.environment.users.reportWriter.secret!)}>`,
      REPORT_READER_SECRET_ARN: `<Ref:${logicalId(dev.environment.users.reportReader.secret!)}>`,
      QUEUE_READWRITER_SECRET_ARN: `<Ref:${logicalId(dev.environment.users.queueReadWriter.secret!)}>`,
    });
  });

  test('the namespace is created and kept when the ConfigMap goes', () => {
    const [namespaceId] = dependsOn(dev.template, logicalId(dev.environment.environmentConfig!.manifest))
      .filter(id => id.includes('EnvironmentConfigNamespace'));
    const namespace = dev.template.Resources[namespaceId];
    expect(JSON.parse(namespace.Properties.Manifest)).toMatchObject([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'scope' } }]);
    expect(namespace.DeletionPolicy).toBe('Retain');
    // ConfigMap and service accounts made by hand before are adopted (kubectl apply), not a failed create.
    expect(dev.template.Resources[logicalId(dev.environment.environmentConfig!.manifest)].Properties.Overwrite).toBe(true);
  });

  test('the frontend Service can share the app namespace', () => {
    const { environment, template } = synth({ cluster: { frontend: { namespace: 'scope' } }, gitOps: { repository: REPOSITORY } }, 'other');
    const binding = objectsOf(template, environment.cluster.frontend!.binding)[0];
    expect(binding.metadata.namespace).toBe(environment.environmentConfig!.namespace);
  });

  test('with users.podIdentity: the service accounts the Pod Identity roles are bound to, by fixed names', () => {
    const [, ...serviceAccounts] = objectsOf(prod.template, prod.environment.environmentConfig!.manifest);
    expect(serviceAccounts.map(sa => `${sa.kind} ${sa.metadata.namespace}/${sa.metadata.name}`))
      .toEqual(['ServiceAccount scope/collection', 'ServiceAccount scope/query', 'ServiceAccount scope/control']);
    const bound = Object.values<any>(prod.template.Resources)
      .filter(r => r.Type === 'AWS::EKS::PodIdentityAssociation' && r.Properties.Namespace === 'scope')
      .map(r => r.Properties.ServiceAccount).sort();
    expect(bound).toEqual(['collection', 'control', 'query']);
  });

  test('users.namespace moves the ConfigMap and the service accounts', () => {
    const { environment, template } = synth({ users: { podIdentity: true, namespace: 'apps' }, environmentConfig: true }, 'other');
    const objects = objectsOf(template, environment.environmentConfig!.manifest);
    expect(new Set(objects.map(o => o.metadata.namespace))).toEqual(new Set(['apps']));
  });

  test('off without gitOps unless asked for; environmentConfig: true alone creates it without Flux', () => {
    expect(prodWithoutGitOps.environment.environmentConfig).toBeUndefined();
    const { environment, template } = synth({ environmentConfig: true }, 'other');
    expect(objectsOf(template, environment.environmentConfig!.manifest)[0].metadata.name).toBe('scope-environment');
    expect(Object.values<any>(template.Resources).filter(r => r.Type === 'Custom::AWSCDK-EKS-HelmChart')).toHaveLength(1); // the LB controller only
  });
});

describe('private repository credentials', () => {
  const credentials = Object.entries<any>(prod.template.Resources)
    .find(([id, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && id.includes('CredentialsSync'))!;
  const objects = JSON.parse(render(credentials[1].Properties.Manifest));
  const byKind = (kind: string) => objects.find((o: any) => o.kind === kind);

  test('the Kubernetes Secret is created empty; only the in-cluster job fills it', () => {
    const secret = byKind('Secret');
    expect(secret.metadata).toMatchObject({ name: 'prod-git-credentials', namespace: 'flux-system' });
    expect(secret.data).toBeUndefined();
    expect(secret.stringData).toBeUndefined();
  });

  test('the job may get and patch that one Secret and nothing else', () => {
    expect(byKind('Role').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['prod-git-credentials'], verbs: ['get', 'patch'] }]);
    expect(byKind('RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'git-credentials-sync', namespace: 'flux-system' }]);
  });

  test('the CronJob gets the secret\'s ARN only, runs as non-root with pinned images', () => {
    const pod = byKind('CronJob').spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe('git-credentials-sync');
    const [read] = pod.initContainers;
    const env = Object.fromEntries(read.env.map((e: any) => [e.name, e.value]));
    expect(env.SECRET_ARN).toBe('arn:<Ref:AWS::Partition>:secretsmanager:eu-west-1:111111111111:secret:scope/deploy-key');
    expect(env.SECRET_NAME).toBe('prod-git-credentials');
    expect(read.command.join(' ')).not.toMatch(/set -x|echo "\$value"/);
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.image).toMatch(/^(public\.ecr\.aws\/aws-cli\/aws-cli|registry\.k8s\.io\/kubectl):v?\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    }
    expect(pod.volumes.find((v: any) => v.name === 'work').emptyDir.medium).toBe('Memory');
    // kubectl of the cluster's own minor version (kubectl supports one minor version of skew).
    expect(pod.containers[0].image).toMatch(new RegExp(`^registry\\.k8s\\.io/kubectl:v${prod.environment.cluster.version.version.replace('.', '\\.')}\\.\\d+@`));
  });

  test('no automatic token: only the kubectl container mounts the Kubernetes API token, Pod Identity brings its own', () => {
    const pod = byKind('CronJob').spec.jobTemplate.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(byKind('ServiceAccount').automountServiceAccountToken).toBe(false);
    const tokenMounts = (c: any) => (c.volumeMounts ?? []).filter((m: any) => m.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount');
    expect(pod.initContainers.flatMap(tokenMounts)).toEqual([]);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
    const sources = pod.volumes.find((v: any) => v.name === 'kube-api-access').projected.sources;
    expect(sources.map((x: any) => Object.keys(x)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI']);
  });

  test('a Job from the same pod spec fills the Secret at deploy time, and the deploy waits for it to succeed', () => {
    const cronJob = byKind('CronJob');
    const job = byKind('Job');
    expect(job.spec).toEqual(cronJob.spec.jobTemplate.spec);
    expect(job.metadata.name).toMatch(/^git-credentials-sync-[0-9a-f]{10}$/);
    const [filledId, filled] = Object.entries<any>(prod.template.Resources)
      .find(([id, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesObjectValue' && id.includes('CredentialsSyncFilled'))!;
    expect(filled.Properties).toMatchObject({ ObjectType: 'job', ObjectName: job.metadata.name, ObjectNamespace: 'flux-system', JsonPath: '.status.succeeded' });
    expect(dependsOn(prod.template, filledId)).toContain(credentials[0]);
    // A changed pod template (immutable in a Job) is a new Job name; the same template keeps its name.
    const again = synth({ profile: EnvironmentProfile.PRODUCTION, users: { podIdentity: true } }, 'prod', stack => ({
      gitOps: { repository: 'ssh://git@github.com/example/scope-app', secret: secretsmanager.Secret.fromSecretNameV2(stack, 'RepoSecret', 'scope/other-key') },
    }));
    const otherJob = JSON.parse(render(Object.entries<any>(again.template.Resources)
      .find(([id, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && id.includes('CredentialsSync'))![1].Properties.Manifest))
      .find((o: any) => o.kind === 'Job');
    expect(otherJob.metadata.name).not.toBe(job.metadata.name);
  });

  test('its Pod Identity role reads this one secret', () => {
    const [associationId, association] = Object.entries<any>(prod.template.Resources)
      .find(([, r]) => r.Type === 'AWS::EKS::PodIdentityAssociation' && r.Properties.Namespace === 'flux-system')!;
    expect(association.Properties.ServiceAccount).toBe('git-credentials-sync');
    const roleId = association.Properties.RoleArn['Fn::GetAtt'][0];
    const policy = Object.values<any>(prod.template.Resources)
      .find(r => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleId))!;
    const statements = policy.Properties.PolicyDocument.Statement;
    expect(statements.map((st: any) => ({ ...st, Action: [st.Action].flat().sort(), Resource: render(st.Resource) }))).toEqual([{
      Effect: 'Allow',
      Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
      Resource: 'arn:<Ref:AWS::Partition>:secretsmanager:eu-west-1:111111111111:secret:scope/deploy-key-??????',
    }]);
    // The job starts only once the association exists.
    expect(dependsOn(prod.template, credentials[0])).toContain(associationId);
  });

  test('no secret value or secret reference in any Kubernetes manifest', () => {
    for (const template of [dev.template, prod.template]) {
      for (const resource of Object.values<any>(template.Resources)) {
        if (resource.Type !== 'Custom::AWSCDK-EKS-KubernetesResource') continue;
        const text = JSON.stringify(resource.Properties.Manifest);
        // No dynamic reference (CloudFormation would resolve the value into the manifest), no key material.
        expect(text).not.toMatch(/resolve:secretsmanager|resolve:ssm-secure|SecretAccessKey|PRIVATE KEY|:\/\/[^\s:/@]+:[^\s@/]+@/i);
        // Every Secret object is empty: values reach it only from inside the cluster.
        for (const object of JSON.parse(render(resource.Properties.Manifest))) {
          if (object.kind === 'Secret') expect([object.data, object.stringData]).toEqual([undefined, undefined]);
        }
      }
    }
  });
});

describe('budgets and checks', () => {
  // kubectl handler + its provider's onEvent, the database bootstrap + its provider's onEvent, and the
  // isComplete/onTimeout functions of the deletion protection step (issue 23): GitOps adds none.
  test('no extra Lambda function: PRODUCTION stays at most 6', () => {
    expect(lambdaCount(prod.template)).toBe(lambdaCount(prodWithoutGitOps.template));
    expect(lambdaCount(prod.template)).toBeLessThanOrEqual(6);
  });

  test('cdk-nag AwsSolutions: no unacknowledged finding with gitOps and a private repository', () => {
    const findings = new AwsSolutionsChecks().validateScope(prod.stack).violations
      .flatMap(v => v.violatingResources.map(r => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });
});

describe('GitOps with a bare ScopeCluster', () => {
  const stack = new Stack(new App(), 'cluster-only', { env: ENV });
  const cluster = new ScopeCluster(stack, 'Cluster', { envName: 'staging', frontend: { enabled: false } });
  const gitOps = new GitOps(stack, 'GitOps', { cluster, repository: REPOSITORY, targetNamespace: 'default' });
  const template = Template.fromStack(stack).toJSON();

  test('syncs deploy/<the cluster\'s envName> into targetNamespace', () => {
    const [source, kustomization] = objectsOf(template, gitOps.sync);
    expect(source.metadata.name).toBe('staging');
    expect(kustomization.spec).toMatchObject({ path: './deploy/staging', targetNamespace: 'default' });
    expect(fluxSchemaErrors([source, kustomization])).toEqual(['', '']);
  });
});

describe('bad props fail at synth time, naming the prop', () => {
  const build = (props: ScopeEnvironmentProps) => () => new ScopeEnvironment(new Stack(new App(), 'bad', { env: ENV }), 'bad', props);

  test('helloWorld and gitOps are mutually exclusive', () => {
    expect(build({ cluster: { helloWorld: true }, gitOps: { repository: REPOSITORY } }))
      .toThrow(/^Invalid gitOps: cluster\.helloWorld is on, and helloWorld and gitOps cannot both be on: .* \(in bad\/bad\)$/);
  });

  test.each([
    [{ repository: 'git@github.com:example/app.git' }, /Invalid gitOps\.repository 'git@github\.com:example\/app\.git': must be a git URL/],
    [{ repository: 'ssh://git@github.com/example/app' }, /Invalid gitOps\.repository .*ssh:\/\/ needs secret/],
    [{ repository: 'https://user:tok3n@github.com/example/app' }, /Invalid gitOps\.repository: it contains a password/],
    [{ repository: REPOSITORY, branch: 'feature..x' }, /Invalid gitOps\.branch 'feature\.\.x'/],
    [{ repository: REPOSITORY, branch: 'with space' }, /Invalid gitOps\.branch/],
    [{ repository: REPOSITORY, path: '../other' }, /Invalid gitOps\.path '\.\.\/other'/],
    [{ repository: REPOSITORY, path: '/abs' }, /Invalid gitOps\.path '\/abs'/],
    [{ repository: REPOSITORY, interval: Duration.seconds(5) }, /Invalid gitOps\.interval 5 seconds: .*at least 10 seconds/],
    [{ repository: REPOSITORY, timeout: Duration.millis(45500) }, /Invalid gitOps\.timeout/],
    [{ repository: REPOSITORY, chartVersion: 'latest' }, /Invalid gitOps\.chartVersion 'latest'/],
    [{ repository: REPOSITORY, targetNamespace: 'Apps' }, /Invalid gitOps\.targetNamespace 'Apps'/],
  ])('%o', (gitOps, message) => {
    expect(build({ gitOps })).toThrow(message);
  });

  test('valid paths and branches pass', () => {
    for (const [path, branch] of [['./deploy/dev', 'main'], ['clusters/prod/apps', 'release/2026-12'], ['.', 'v1.2']]) {
      expect(() => synthOnly({ gitOps: { repository: REPOSITORY, path, branch } })).not.toThrow();
    }
  });
});

/** Builds (without synthesizing) an environment: enough to run the validation. */
function synthOnly(props: ScopeEnvironmentProps) {
  return new ScopeEnvironment(new Stack(new App(), 'ok', { env: ENV }), 'ok', props);
}
