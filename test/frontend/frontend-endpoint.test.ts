import { KubectlV34Layer } from '@aws-cdk/lambda-layer-kubectl-v34';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FrontendEndpoint, FrontendEndpointOptions } from '../../src/frontend';
import { logicalId } from '../gitops/manifests';

const ENV = { account: '123456789012', region: 'eu-west-1' };
const CERT_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';

/** A FrontendEndpoint on a plain aws-eks-v2 cluster (it does not need a ScopeCluster). */
function build(options: FrontendEndpointOptions & { withCertificate?: boolean; withLogBucket?: boolean } = {}) {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_34,
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 0,
    kubectlProviderOptions: { kubectlLayer: new KubectlV34Layer(stack, 'Kubectl') },
  });
  const { withCertificate, withLogBucket, ...rest } = options;
  const certificate = withCertificate ? acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN) : undefined;
  const accessLogsBucket = withLogBucket ? new s3.Bucket(stack, 'Logs') : undefined;
  const frontend = new FrontendEndpoint(stack, 'Frontend', { ...rest, certificate, accessLogsBucket, cluster });
  return { stack, frontend, template: () => Template.fromStack(stack) };
}

describe('FrontendEndpoint', () => {
  test('works on any aws-eks-v2 cluster and exposes what DNS needs', () => {
    const { frontend, template } = build();
    expect(frontend.loadBalancer.loadBalancerDnsName).toBeDefined();
    expect(frontend.loadBalancer.loadBalancerCanonicalHostedZoneId).toBeDefined();
    template().resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template().resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    template().hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' });
  });

  test('load balancer security group: listener ports from anywhere, nothing else in or out', () => {
    const { template } = build();
    template().hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Frontend load balancer'),
      SecurityGroupIngress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80 }],
    });
    template().resourceCountIs('AWS::EC2::SecurityGroupEgress', 1);
    template().hasResourceProperties('AWS::EC2::SecurityGroupEgress', { FromPort: 80, ToPort: 80, IpProtocol: 'tcp' });
  });

  test('port 443 gets a TLS listener with the certificate, forwarding to the same target group', () => {
    const { template } = build({ ports: [80, 443], withCertificate: true });
    const tgId = Object.keys(template().findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))[0];
    template().resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    template().hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, Protocol: 'TCP', DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: tgId } }],
    });
    template().hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'TLS',
      Certificates: [{ CertificateArn: CERT_ARN }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: tgId } }],
    });
    template().hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.arrayWith([Match.objectLike({ FromPort: 443, ToPort: 443 })]),
    });
  });

  test('TLS only', () => {
    const { template } = build({ ports: [443], withCertificate: true });
    template().resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template().hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'TLS' });
  });

  test('controllerChartVersion overrides the pinned chart', () => {
    const { template } = build({ controllerChartVersion: '1.13.4' });
    template().hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Version: '1.13.4' });
    expect(FrontendEndpoint.DEFAULT_CONTROLLER_CHART_VERSION).toBe('3.5.0');
  });

  const lbAttributes = (template: Template): Record<string, string> => {
    const [lb] = Object.values<any>(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    return Object.fromEntries((lb.Properties.LoadBalancerAttributes ?? []).map((a: any) => [a.Key, a.Value]));
  };

  test('by default: no deletion protection and no access logs', () => {
    const attributes = lbAttributes(build().template());
    expect(attributes['deletion_protection.enabled']).toBe('false');
    expect(attributes['access_logs.s3.enabled']).toBeUndefined();
  });

  test('deletionProtection turns on the load balancer attribute', () => {
    expect(lbAttributes(build({ deletionProtection: true }).template())['deletion_protection.enabled']).toBe('true');
  });

  test('accessLogsBucket: access logs under the prefix, written only by the log delivery service of this account', () => {
    const { template } = build({ withLogBucket: true, ports: [443], withCertificate: true });
    const t = template();
    const [bucketId] = Object.keys(t.findResources('AWS::S3::Bucket'));
    expect(lbAttributes(t)).toMatchObject({
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.bucket': { Ref: bucketId },
      'access_logs.s3.prefix': 'frontend',
    });
    const [[policyId, policy]] = Object.entries<any>(t.findResources('AWS::S3::BucketPolicy'));
    const statements = policy.Properties.PolicyDocument.Statement.filter((st: any) => st.Principal?.Service === 'delivery.logs.amazonaws.com');
    expect(statements.map((st: any) => st.Action).sort()).toEqual(['s3:GetBucketAcl', 's3:PutObject']);
    for (const st of statements) {
      expect(st.Condition.StringEquals['aws:SourceAccount']).toBe(ENV.account);
      expect(st.Condition.ArnLike['aws:SourceArn']).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:${ENV.region}:${ENV.account}:*`]] });
    }
    const put = statements.find((st: any) => st.Action === 's3:PutObject');
    expect(JSON.stringify(put.Resource)).toContain(`/frontend/AWSLogs/${ENV.account}/*`);
    expect(put.Condition.StringEquals['s3:x-amz-acl']).toBe('bucket-owner-full-control');
    // Nothing for the regional ELB accounts (Application and Classic Load Balancers only).
    expect(JSON.stringify(policy.Properties.PolicyDocument)).not.toContain(':root');
    const [lb] = Object.values<any>(t.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    expect(lb.DependsOn).toContain(policyId);
  });

  test.each([
    [{ ports: [] }, 'Invalid frontend.ports []: give at least one listener port'],
    [{ accessLogsPrefix: 'lb' }, 'Invalid frontend.accessLogsPrefix: it applies only with frontend.accessLogsBucket.'],
    [{ accessLogsPrefix: 'AWSLogs/x', withLogBucket: true }, "Invalid frontend.accessLogsPrefix 'AWSLogs/x'"],
    [{ accessLogsPrefix: '/lb/', withLogBucket: true }, "Invalid frontend.accessLogsPrefix '/lb/'"],
    [{ ports: [80, 80] }, 'Invalid frontend.ports [80, 80]: each port may appear only once.'],
    [{ ports: [0] }, 'Invalid frontend.ports 0: must be a whole number from 1 to 65535.'],
    [{ servicePort: 70000 }, 'Invalid frontend.servicePort 70000: must be a whole number from 1 to 65535.'],
    [{ targetPort: 0 }, 'Invalid frontend.targetPort 0'],
    [{ namespace: 'Scope' }, "Invalid frontend.namespace 'Scope'"],
    [{ serviceName: 'front_end' }, "Invalid frontend.serviceName 'front_end'"],
  ])('bad options %p', (options, message) => {
    expect(() => build(options as FrontendEndpointOptions)).toThrow(message);
  });
});

describe('pod readiness gates', () => {
  const LABEL = 'elbv2.k8s.aws/pod-readiness-gate-inject';
  const dependsOn = (t: any, id: string): string[] => [t.Resources[id].DependsOn ?? []].flat();

  test('the default namespace gets the label with a merge patch that is removed with the frontend, before the binding', () => {
    const { frontend, template } = build();
    const t = template().toJSON();
    const [patchId, patch] = Object.entries<any>(t.Resources).find(([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesPatch')!;
    expect(patch.Properties.ResourceName).toBe('namespace/default');
    expect(patch.Properties.PatchType).toBe('merge');
    expect(JSON.parse(patch.Properties.ApplyPatchJson)).toEqual({ metadata: { labels: { [LABEL]: 'enabled' } } });
    expect(JSON.parse(patch.Properties.RestorePatchJson)).toEqual({ metadata: { labels: { [LABEL]: null } } });
    expect(frontend.namespaceManifest).toBeUndefined();
    expect(dependsOn(t, logicalId(frontend.binding))).toContain(patchId);
  });

  test('another namespace is created with the label (kept on removal) and owned by the frontend; the binding waits for it', () => {
    const { frontend, template } = build({ namespace: 'scope' });
    const t = template().toJSON();
    const namespaceId = logicalId(frontend.namespaceManifest!);
    const namespace = t.Resources[namespaceId];
    expect(JSON.parse(namespace.Properties.Manifest)).toEqual([
      { apiVersion: 'v1', kind: 'Namespace', metadata: expect.objectContaining({ name: 'scope', labels: expect.objectContaining({ [LABEL]: 'enabled' }) }) },
    ]);
    expect(namespace.DeletionPolicy).toBe('Retain');
    expect(namespaceId).toMatch(/^FrontendNamespace/); // the logical ID of earlier releases: an in-place update
    expect(dependsOn(t, logicalId(frontend.binding))).toContain(namespaceId);
    template().resourceCountIs('Custom::AWSCDK-EKS-KubernetesPatch', 0);
  });
});
