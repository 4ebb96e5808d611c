import { App, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ClusterSupportType, NodeAmiRelease, ScopeCluster, ScopeClusterProps } from '../../src/cluster';
import { FrontendOptions } from '../../src/frontend';

const ENV = { account: '123456789012', region: 'eu-west-1' };

function build(props: ScopeClusterProps = {}) {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const cluster = new ScopeCluster(stack, 'Scope', props);
  return { stack, cluster, template: Template.fromStack(stack) };
}

/** A CloudFormation string value (plain or Fn::Join) with references written as REF(logicalId). */
function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
  if (value.Ref) return `REF(${value.Ref})`;
  if (value['Fn::GetAtt']) return `REF(${value['Fn::GetAtt'].join('.')})`;
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

/** The Kubernetes objects of every manifest custom resource in the template. */
function manifests(template: Template): Array<{ logicalId: string; dependsOn: string[]; objects: any[] }> {
  const res = template.findResources('Custom::AWSCDK-EKS-KubernetesResource');
  return Object.entries(res).map(([logicalId, r]: [string, any]) => ({
    logicalId, dependsOn: r.DependsOn ?? [], objects: JSON.parse(flatten(r.Properties.Manifest)),
  }));
}

function objectOfKind(template: Template, kind: string) {
  for (const m of manifests(template)) {
    const object = m.objects.find(o => o.kind === kind);
    if (object) return { ...m, object };
  }
  throw new Error(`no ${kind} in any manifest`);
}

function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('ScopeCluster defaults', () => {
  const { template, cluster } = build();

  test('EKS cluster 1.36 with access entries (API mode), not Auto Mode, in private subnets', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Version: '1.36',
      AccessConfig: { AuthenticationMode: 'API' },
      ComputeConfig: { Enabled: false },
      Name: Match.absent(),
      ResourcesVpcConfig: {
        EndpointPrivateAccess: true,
        EndpointPublicAccess: true,
        SubnetIds: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
      },
    });
  });

  test('one managed node group: min = max = desired = 2, AL2023 x86, m7i.large, private subnets', () => {
    template.resourceCountIs('AWS::EKS::Nodegroup', 1);
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ScalingConfig: { MinSize: 2, MaxSize: 2, DesiredSize: 2 },
      AmiType: 'AL2023_x86_64_STANDARD',
      InstanceTypes: ['m7i.large'],
      Subnets: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
      LaunchTemplate: { Id: { Ref: logicalIdOf(template, 'AWS::EC2::LaunchTemplate') } },
    });
  });

  test('nodes require IMDSv2 (hop limit 1) and have an encrypted root volume', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: {
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: 20 } }],
      },
    });
  });

  test('secrets are envelope-encrypted with a rotating KMS key', () => {
    const keyId = logicalIdOf(template, 'AWS::KMS::Key');
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } }, Resources: ['secrets'] }],
    });
  });

  test('control plane logs api, audit and authenticator', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Logging: { ClusterLogging: { EnabledTypes: [{ Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }] } },
    });
  });

  test('new VPC with 2 AZs and 1 NAT gateway', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 4);
    expect(cluster.vpc.availabilityZones).toHaveLength(2);
  });

  test('no nested stacks, at most 2 Lambda functions, no log retention custom resource', () => {
    template.resourceCountIs('AWS::CloudFormation::Stack', 0);
    expect(Object.keys(template.findResources('AWS::Lambda::Function')).length).toBeLessThanOrEqual(2);
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  test('EKS Pod Identity agent add-on, created with the cluster (it needs no nodes)', () => {
    const agent = Object.values(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'eks-pod-identity-agent' } }))[0] as any;
    expect(agent.DependsOn ?? []).not.toContain(logicalIdOf(template, 'AWS::EKS::Nodegroup'));
  });

  test('managed vpc-cni add-on: takes over the self-managed aws-node (OVERWRITE), kept if it leaves the template', () => {
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni',
      ResolveConflicts: 'OVERWRITE',
      PreserveOnDelete: true,
      // No prefix delegation by default: EKS's default configuration.
      ConfigurationValues: Match.absent(),
    });
  });

  test('node group update config: one node at a time', () => {
    template.hasResourceProperties('AWS::EKS::Nodegroup', { UpdateConfig: { MaxUnavailable: 1 }, CapacityType: Match.absent() });
  });

  test('no prefix delegation: the launch template has no user data (nodeadm\'s own max pods)', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: { UserData: Match.absent() } });
  });

  test('kubeconfig command output and field', () => {
    const clusterId = logicalIdOf(template, 'AWS::EKS::Cluster');
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs)).toHaveLength(1);
    const [output] = Object.values(outputs) as any[];
    expect(flatten(output.Value)).toBe(`aws eks update-kubeconfig --name REF(${clusterId}) --region eu-west-1`);
    expect(cluster.kubeconfigCommand).toContain('aws eks update-kubeconfig --name ');
  });

  test('no access entries beyond the kubectl provider without admins', () => {
    template.resourceCountIs('AWS::EKS::AccessEntry', 1);
  });
});

describe('ScopeCluster options', () => {
  test('nodeCount sets min = max = desired', () => {
    const { template } = build({ nodeCount: 5 });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { ScalingConfig: { MinSize: 5, MaxSize: 5, DesiredSize: 5 } });
  });

  test('Graviton instance type gets the AL2023 ARM AMI', () => {
    const { template } = build({ instanceType: new ec2.InstanceType('m7g.large') });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { AmiType: 'AL2023_ARM_64_STANDARD', InstanceTypes: ['m7g.large'] });
  });

  test('Spot capacity with several Graviton types', () => {
    const { template } = build({ capacityType: eks.CapacityType.SPOT, instanceTypes: ['t4g.medium', 'm6g.medium'].map(t => new ec2.InstanceType(t)) });
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      CapacityType: 'SPOT', AmiType: 'AL2023_ARM_64_STANDARD', InstanceTypes: ['t4g.medium', 'm6g.medium'],
    });
  });

  test('prefixDelegation: vpc-cni add-on enables it, nodes get max pods (and kubeReserved) that follow it', () => {
    const { template } = build({ prefixDelegation: true });
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni',
      ConfigurationValues: JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: 'true' } }),
      ResolveConflicts: 'OVERWRITE',
    });
    const lt = Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0] as any;
    const userData: string = lt.Properties.LaunchTemplateData.UserData['Fn::Base64'];
    // A MIME part that managed node groups merge with their own NodeConfig (no AMI ID in the template).
    expect(userData).toMatch(/^Content-Type: multipart\/mixed; boundary=/);
    expect(userData).toContain('Content-Type: application/node.eks.aws');
    expect(userData).toContain('kind: NodeConfig');
    // The value the managed node group writes (m7i.large: 3 x 9 x 16 + 2, capped at 110), so that
    // nodeadm's kubeReserved (11 MiB x it + 255 MiB) matches the pods the node takes.
    expect(/maxPodsExpression: "(.*)"/.exec(userData)![1]).toBe('110');
  });

  test('max pods from one source: the smallest value of the listed types, computed at synth time', () => {
    const userDataOf = (props: ScopeClusterProps) => {
      const lt = Object.values(build(props).template.findResources('AWS::EC2::LaunchTemplate'))[0] as any;
      const userData = lt.Properties.LaunchTemplateData.UserData;
      return userData ? /maxPodsExpression: "(.*)"/.exec(userData['Fn::Base64'])![1] : undefined;
    };
    const types = (...t: string[]) => t.map(i => new ec2.InstanceType(i));
    // t4g.medium 110, m6g.medium 98 with prefix delegation: every node runs 98.
    expect(userDataOf({ instanceTypes: types('t4g.medium', 'm6g.medium'), prefixDelegation: true })).toBe('98');
    // Without prefix delegation nodeadm's own ENI count already agrees for one type ...
    expect(userDataOf({ instanceTypes: types('t4g.medium') })).toBeUndefined();
    // ... but not for several types with different counts (17 and 8): the node group writes 8.
    expect(userDataOf({ instanceTypes: types('t4g.medium', 'm6g.medium') })).toBe('8');
    // A type the table does not list: the per-type expression (capped at 110) and a warning.
    const unknown = build({ instanceType: new ec2.InstanceType('r7g.xlarge'), prefixDelegation: true });
    Annotations.fromStack(unknown.stack).hasWarning('/Stack/Scope', Match.stringLikeRegexp('instanceTypes \\[r7g.xlarge\\]: an instance type is not in'));
    Annotations.fromStack(unknown.stack).hasWarning('/Stack/Scope', Match.stringLikeRegexp('ack: cdk-scope-environment:cluster-max-pods-unknown'));
  });

  test('prefix delegation names the node group (create-only), so switching it replaces the node group instead of rolling it', () => {
    const name = (props: ScopeClusterProps) => (Object.values(build(props).template.findResources('AWS::EKS::Nodegroup'))[0] as any).Properties.NodegroupName;
    expect(name({})).toBeUndefined();
    const pd = name({ prefixDelegation: true });
    expect(pd).toMatch(/^[A-Za-z0-9-]+-pd-[0-9a-f]{8}$/);
    expect(pd.length).toBeLessThanOrEqual(63);
    expect(name({ prefixDelegation: true })).toBe(pd);
    // Another create-only change gets another name, so CloudFormation can replace the group.
    expect(name({ prefixDelegation: true, instanceType: new ec2.InstanceType('m7g.large') })).not.toBe(pd);
  });

  test('adminRoles and adminPrincipalArns get cluster-admin access entries; the first role goes into the kubeconfig command', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const ops = iam.Role.fromRoleArn(stack, 'Ops', 'arn:aws:iam::123456789012:role/ops');
    const sc = new ScopeCluster(stack, 'Scope', {
      adminRoles: [ops, iam.Role.fromRoleArn(stack, 'Oncall', 'arn:aws:iam::123456789012:role/oncall')],
      adminPrincipalArns: ['arn:aws:iam::123456789012:user/alice'],
    });
    const template = Template.fromStack(stack);
    for (const principal of ['arn:aws:iam::123456789012:role/ops', 'arn:aws:iam::123456789012:role/oncall', 'arn:aws:iam::123456789012:user/alice']) {
      template.hasResourceProperties('AWS::EKS::AccessEntry', {
        PrincipalArn: principal,
        AccessPolicies: [{
          AccessScope: { Type: 'cluster' },
          PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']] },
        }],
      });
    }
    const [output] = Object.values(template.findOutputs('*')) as any[];
    expect(flatten(output.Value)).toMatch(/ --region eu-west-1 --role-arn arn:aws:iam::123456789012:role\/ops$/);
    expect(sc.kubeconfigCommand).toMatch(/--role-arn arn:aws:iam::123456789012:role\/ops$/);
  });

  test('endpointAccess and an existing secrets key are used', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const key = new kms.Key(stack, 'MyKey');
    new ScopeCluster(stack, 'Scope', { endpointAccess: eks.EndpointAccess.PRIVATE, secretsKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPrivateAccess: true, EndpointPublicAccess: false },
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] } } }],
    });
  });

  test('another version with its own kubectlLayer', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Layer', 'arn:aws:lambda:eu-west-1:123456789012:layer:kubectl133:1');
    new ScopeCluster(stack, 'Scope', { version: eks.KubernetesVersion.V1_33, kubectlLayer: layer });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Cluster', { Version: '1.33' });
    template.hasResourceProperties('AWS::Lambda::Function', { Layers: Match.arrayWith(['arn:aws:lambda:eu-west-1:123456789012:layer:kubectl133:1']) });
  });

  test('kubeconfigOutput false creates no output; two clusters in one stack do not collide', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new ScopeCluster(stack, 'Dev', { vpc, envName: 'dev' });
    new ScopeCluster(stack, 'Test', { vpc, envName: 'test' });
    new ScopeCluster(stack, 'Quiet', { vpc, kubeconfigOutput: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EKS::Cluster', 3);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 3);
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual([
      expect.stringMatching(/^DevKubeconfigCommand/), expect.stringMatching(/^TestKubeconfigCommand/),
    ]);
  });
});

describe('ScopeCluster Kubernetes version and upgrades', () => {
  /** The description of the kubectl layer the kubectl handler runs with (it names the kubectl version). */
  function kubectlLayerDescription(template: Template): string {
    const layers = Object.values(template.findResources('AWS::Lambda::LayerVersion')) as any[];
    const kubectl = layers.filter(l => /kubectl/.test(l.Properties.Description ?? ''));
    expect(kubectl).toHaveLength(1);
    return kubectl[0].Properties.Description;
  }

  test.each([
    [undefined, '1.36', /^\/opt\/kubectl\/kubectl 1\.36\./],
    [eks.KubernetesVersion.V1_35, '1.35', /^\/opt\/kubectl\/kubectl 1\.35\./],
    [eks.KubernetesVersion.V1_34, '1.34', /^\/opt\/kubectl\/kubectl 1\.34\./],
  ])('version %p: control plane, node group and kubectl layer all on %s', (version, expected, layer) => {
    const { template } = build(version ? { version } : {});
    template.hasResourceProperties('AWS::EKS::Cluster', { Version: expected });
    // The node group follows the control plane (aws-eks-v2 leaves Version unset) and comes after it.
    template.hasResource('AWS::EKS::Nodegroup', {
      Properties: { Version: expected, ClusterName: { Ref: logicalIdOf(template, 'AWS::EKS::Cluster') } },
    });
    // ... and takes the latest AMI release of that version, read from EKS's public SSM parameter on every deploy.
    const release = (Object.values(template.findResources('AWS::EKS::Nodegroup'))[0] as any).Properties.ReleaseVersion.Ref;
    expect(template.toJSON().Parameters[release]).toMatchObject({
      Type: 'AWS::SSM::Parameter::Value<String>',
      Default: `/aws/service/eks/optimized-ami/${expected}/amazon-linux-2023/x86_64/standard/recommended/release_version`,
    });
    expect(kubectlLayerDescription(template)).toMatch(layer);
  });

  test('amiRelease: latest by default (arm64 parameter for Graviton), or one pinned release of the cluster\'s version', () => {
    const arm = build({ instanceType: new ec2.InstanceType('m7g.large') }).template.toJSON();
    expect(Object.values(arm.Parameters).map((p: any) => p.Default))
      .toContain('/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/arm64/standard/recommended/release_version');
    const pinned = build({ amiRelease: NodeAmiRelease.pinned('1.36.0-20261120') }).template;
    pinned.hasResourceProperties('AWS::EKS::Nodegroup', { ReleaseVersion: '1.36.0-20261120', Version: '1.36' });
    expect(JSON.stringify(pinned.toJSON().Parameters ?? {})).not.toContain('optimized-ami');
    expect(() => build({ amiRelease: NodeAmiRelease.pinned('1.35.2-20261120') }))
      .toThrow("Invalid amiRelease '1.35.2-20261120': the release must be one of Kubernetes 1.36");
    expect(() => build({ amiRelease: NodeAmiRelease.pinned('latest') })).toThrow("Invalid amiRelease 'latest': must be an EKS optimized AMI release version");
  });

  test('no hidden admin: the cluster creator gets no access entry; admins come from the template', () => {
    build().template.hasResourceProperties('AWS::EKS::Cluster', { AccessConfig: { BootstrapClusterCreatorAdminPermissions: false } });
  });

  test('endpointAllowedCidrs: public endpoint limited to them, private access kept; PRIVATE stays an option', () => {
    build({ endpointAllowedCidrs: ['203.0.113.0/24', '198.51.100.7/32'] }).template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'] },
    });
    build().template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: Match.absent() },
    });
    build({ endpointAccess: eks.EndpointAccess.PRIVATE }).template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: { EndpointPublicAccess: false, EndpointPrivateAccess: true },
    });
    expect(() => build({ endpointAllowedCidrs: ['203.0.113.0/33'] })).toThrow("Invalid endpointAllowedCidrs '203.0.113.0/33': must be an IPv4 CIDR block");
    expect(() => build({ endpointAllowedCidrs: ['0.0.0.0/0'] })).toThrow("Invalid endpointAllowedCidrs '0.0.0.0/0': it allows every address");
    expect(() => build({ endpointAllowedCidrs: [] })).toThrow('Invalid endpointAllowedCidrs []');
    expect(() => build({ endpointAllowedCidrs: ['203.0.113.0/24'], endpointAccess: eks.EndpointAccess.PRIVATE }))
      .toThrow('Invalid endpointAllowedCidrs: not together with endpointAccess');
  });

  test('upgrade policy: STANDARD by default, EXTENDED when asked', () => {
    build().template.hasResourceProperties('AWS::EKS::Cluster', { UpgradePolicy: { SupportType: 'STANDARD' } });
    build({ supportType: ClusterSupportType.EXTENDED }).template.hasResourceProperties('AWS::EKS::Cluster', { UpgradePolicy: { SupportType: 'EXTENDED' } });
  });

  test('add-ons keep EKS\'s version unless pinned; a pin sets AddonVersion', () => {
    build().template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent', AddonVersion: Match.absent() });
    build({ addonVersions: { 'eks-pod-identity-agent': 'v1.3.10-eksbuild.2' } }).template
      .hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent', AddonVersion: 'v1.3.10-eksbuild.2' });
  });

  test('tags stay off the node launch template data (a tag must not replace the nodes) unless tagNodes', () => {
    const launchTemplateData = (tagNodes: boolean | undefined, tags: { [key: string]: string }) => {
      const stack = new Stack(new App(), 'Stack', { env: ENV });
      const cluster = new ScopeCluster(stack, 'Scope', { tagNodes });
      Object.entries(tags).forEach(([k, v]) => Tags.of(cluster).add(k, v));
      const lts = Template.fromStack(stack).findResources('AWS::EC2::LaunchTemplate');
      return (Object.values(lts)[0] as any).Properties.LaunchTemplateData;
    };
    const plain = launchTemplateData(undefined, {});
    expect(launchTemplateData(undefined, { 'team': 'scope', 'cost-center': '42' })).toEqual(plain);
    expect(plain.TagSpecifications).toBeUndefined();
    expect(plain.MetadataOptions).toEqual({ HttpPutResponseHopLimit: 1, HttpTokens: 'required' });
    const tagged = launchTemplateData(true, { team: 'scope' });
    expect(tagged.TagSpecifications).toEqual(expect.arrayContaining([
      { ResourceType: 'instance', Tags: expect.arrayContaining([{ Key: 'team', Value: 'scope' }]) },
    ]));
  });
});

describe('ScopeCluster frontend endpoint', () => {
  test('load balancer, target group, security group rule and TargetGroupBinding agree on port and service', () => {
    const { template } = build();
    const tgId = logicalIdOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    const lbId = logicalIdOf(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    const chartId = logicalIdOf(template, 'Custom::AWSCDK-EKS-HelmChart');
    const clusterId = logicalIdOf(template, 'AWS::EKS::Cluster');

    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'network',
      Scheme: 'internet-facing',
      Subnets: [{ Ref: Match.stringLikeRegexp('PublicSubnet1') }, { Ref: Match.stringLikeRegexp('PublicSubnet2') }],
    });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      LoadBalancerArn: { Ref: lbId },
      Port: 80,
      Protocol: 'TCP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: tgId } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 80, Protocol: 'TCP', TargetType: 'ip' });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [clusterId, 'ClusterSecurityGroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FrontendSecurityGroup'), 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: 80,
      ToPort: 80,
    });

    const binding = objectOfKind(template, 'TargetGroupBinding');
    expect(binding.object).toEqual({
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'TargetGroupBinding',
      metadata: { name: 'frontend', namespace: 'default', labels: expect.any(Object) },
      spec: { serviceRef: { name: 'frontend', port: 80 }, targetGroupARN: `REF(${tgId})`, targetType: 'ip' },
    });
    expect(binding.dependsOn).toContain(chartId);
  });

  test('custom namespace, service, ports and target port flow into every piece', () => {
    const { template } = build({ frontend: { namespace: 'scope', serviceName: 'app', servicePort: 8080, targetPort: 4040 } });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 4040, TargetType: 'ip' });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 4040, ToPort: 4040 });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80 });
    const binding = objectOfKind(template, 'TargetGroupBinding');
    expect(binding.object.metadata).toMatchObject({ name: 'app-4040', namespace: 'scope' });
    expect(binding.object.spec.serviceRef).toEqual({ name: 'app', port: 8080 });
    const ns = objectOfKind(template, 'Namespace');
    expect(ns.object.metadata.name).toBe('scope');
    expect(binding.dependsOn).toContain(ns.logicalId);
    template.hasResource('Custom::AWSCDK-EKS-KubernetesResource', { DeletionPolicy: 'Retain', Properties: { Manifest: Match.stringLikeRegexp('"kind":"Namespace"') } });
  });

  test('a change of target port, Service or namespace replaces the target group and the binding together; defaults keep their ids', () => {
    /** Logical IDs of the target group and the binding manifest, the binding's name and the ARN it points at. */
    const ids = (frontend: FrontendOptions) => {
      const { template } = build({ frontend });
      const binding = objectOfKind(template, 'TargetGroupBinding');
      return {
        targetGroup: logicalIdOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup'),
        binding: binding.logicalId,
        name: binding.object.metadata.name,
        points: binding.object.spec.targetGroupARN,
      };
    };
    const base = ids({});
    expect(base.targetGroup).toMatch(/^ScopeFrontendTargetGroup[0-9A-F]{8}$/);
    expect(base.binding).toMatch(/^ScopeFrontendTargetGroupBinding[0-9A-F]{8}$/);
    expect(base.name).toBe('frontend');
    // Only the Service port changes: the webhook allows a serviceRef update, nothing is replaced.
    expect(ids({ servicePort: 8080, targetPort: 80 })).toEqual(base);
    for (const change of [{ targetPort: 8080 }, { serviceName: 'web' }, { namespace: 'scope' }] as FrontendOptions[]) {
      const changed = ids(change);
      expect(changed.targetGroup).not.toBe(base.targetGroup);
      expect(changed.binding).not.toBe(base.binding);
      // Both bindings exist for a moment during the update: the new one needs its own name (or namespace).
      expect(`${change.namespace ?? 'default'}/${changed.name}`).not.toBe('default/frontend');
      expect(changed.points).toBe(`REF(${changed.targetGroup})`);
    }
  });

  test('the binding waits until the controller webhook Service has a ready endpoint', () => {
    const { template } = build();
    const chartId = logicalIdOf(template, 'Custom::AWSCDK-EKS-HelmChart');
    const waits = template.findResources('Custom::AWSCDK-EKS-KubernetesObjectValue');
    expect(Object.keys(waits)).toHaveLength(1);
    const [waitId, wait] = Object.entries(waits)[0] as [string, any];
    expect(wait.Properties).toMatchObject({
      ObjectType: 'endpoints',
      ObjectName: 'aws-load-balancer-webhook-service',
      ObjectNamespace: 'kube-system',
      JsonPath: '.subsets[0].addresses[0].ip',
      TimeoutSeconds: 300,
    });
    expect(wait.DependsOn).toContain(chartId);
    expect(objectOfKind(template, 'TargetGroupBinding').dependsOn).toEqual(expect.arrayContaining([chartId, waitId]));
  });

  test('a controller chart version other than the default warns that its CRDs must be applied, with the command', () => {
    const { stack } = build({ frontend: { controllerChartVersion: '3.6.0' } });
    Annotations.fromStack(stack).hasWarning('/Stack/Scope/Frontend', Match.stringLikeRegexp(
      'frontend.controllerChartVersion 3.6.0 is not the default 3.5.0: .*helm show crds eks/aws-load-balancer-controller --version 3.6.0 \\| kubectl apply -f -'));
    Annotations.fromStack(build().stack).hasNoWarning('*', Match.stringLikeRegexp('controllerChartVersion'));
  });

  test('controller: official Helm chart, pinned, with a Pod Identity role', () => {
    const { template } = build();
    const clusterId = logicalIdOf(template, 'AWS::EKS::Cluster');
    const chart = Object.values(template.findResources('Custom::AWSCDK-EKS-HelmChart'))[0] as any;
    expect(chart.Properties).toMatchObject({
      Repository: 'https://aws.github.io/eks-charts',
      Chart: 'aws-load-balancer-controller',
      Version: '3.5.0',
      Namespace: 'kube-system',
      Wait: true,
      Timeout: '600s',
    });
    const values = JSON.parse(flatten(chart.Properties.Values));
    expect(values).toMatchObject({
      clusterName: `REF(${clusterId})`,
      region: 'eu-west-1',
      vpcId: expect.stringMatching(/^REF\(ScopeVpc/),
      serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
    });

    const assoc = template.findResources('AWS::EKS::PodIdentityAssociation', {
      Properties: { Namespace: 'kube-system', ServiceAccount: 'aws-load-balancer-controller' },
    });
    const [assocId, association] = Object.entries(assoc)[0] as [string, any];
    const roleId = association.Properties.RoleArn['Fn::GetAtt'][0];
    const agentId = Object.keys(template.findResources('AWS::EKS::Addon', { Properties: { AddonName: 'eks-pod-identity-agent' } }))[0];
    expect(chart.DependsOn).toEqual(expect.arrayContaining([assocId, roleId, agentId]));
    // Two replicas by default, spread over nodes, at most one evicted at a time.
    expect(values).toMatchObject({
      // Requests (and a memory limit equal to them): no longer BestEffort, the first pods evicted.
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '128Mi' } },
      replicaCount: 2,
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', nodeTaintsPolicy: 'Honor' }],
      podDisruptionBudget: { maxUnavailable: 1 },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }] },
    });
  });

  test('controllerReplicas 1: one controller, no spread constraint, no PodDisruptionBudget', () => {
    const { template } = build({ frontend: { controllerReplicas: 1 } });
    const chart = Object.values(template.findResources('Custom::AWSCDK-EKS-HelmChart'))[0] as any;
    const values = JSON.parse(flatten(chart.Properties.Values));
    expect(values.replicaCount).toBe(1);
    expect(values.topologySpreadConstraints).toBeUndefined();
    expect(values.podDisruptionBudget).toBeUndefined();
  });

  test('controller policy is limited to what TargetGroupBinding uses', () => {
    const { template } = build();
    const tgId = logicalIdOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    const clusterId = logicalIdOf(template, 'AWS::EKS::Cluster');
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['elasticloadbalancing:Describe*', 'ec2:Describe*'] })]) } },
    });
    const statements = (Object.values(policies)[0] as any).Properties.PolicyDocument.Statement;
    expect(statements).toEqual([
      { Action: ['elasticloadbalancing:Describe*', 'ec2:Describe*'], Effect: 'Allow', Resource: '*' },
      { Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], Effect: 'Allow', Resource: { Ref: tgId } },
      { Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], Effect: 'Allow', Resource: expect.any(Object) },
    ]);
    expect(flatten(statements[2].Resource)).toBe(`arn:REF(AWS::Partition):ec2:eu-west-1:123456789012:security-group/REF(${clusterId}.ClusterSecurityGroupId)`);
  });

  test('frontend disabled: no load balancer, no controller, no binding', () => {
    const { template, cluster } = build({ frontend: { enabled: false } });
    expect(cluster.frontend).toBeUndefined();
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 0);
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 0);
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 0);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
  });
});

describe('ScopeCluster.serviceAccountRole', () => {
  test('binds a Pod Identity role to the service account, once', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const cluster = new ScopeCluster(stack, 'Scope');
    const role = cluster.serviceAccountRole('scope', 'collection');
    expect(cluster.serviceAccountRole('scope', 'collection')).toBe(role);
    const other = cluster.serviceAccountRole('scope', 'query');
    expect(other).not.toBe(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: { Ref: logicalIdOf(template, 'AWS::EKS::Cluster') },
      Namespace: 'scope',
      ServiceAccount: 'collection',
      RoleArn: { 'Fn::GetAtt': [stack.getLogicalId(role.node.defaultChild as iam.CfnRole), 'Arn'] },
    });
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 3);
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'EKS Pod Identity role for service account scope/collection',
      AssumeRolePolicyDocument: { Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } }] },
    });
  });

  test('the controller service account returns the frontend controller role', () => {
    const { cluster } = build();
    expect(cluster.serviceAccountRole('kube-system', 'aws-load-balancer-controller')).toBe(cluster.frontend!.controllerRole);
  });

  test('bad names fail', () => {
    const { cluster } = build();
    expect(() => cluster.serviceAccountRole('Scope', 'collection')).toThrow(/Invalid namespace 'Scope': must be a Kubernetes namespace name/);
    expect(() => cluster.serviceAccountRole('scope', 'coll_ection')).toThrow(/Invalid name 'coll_ection'/);
  });
});

describe('ScopeCluster helloWorld', () => {
  test('deploys the smoke-test Deployment and the frontend ClusterIP Service', () => {
    const { template } = build({ helloWorld: true });
    const deployment = objectOfKind(template, 'Deployment');
    expect(deployment.object.metadata.namespace).toBe('default');
    expect(deployment.object.spec.replicas).toBe(1);
    const [container] = deployment.object.spec.template.spec.containers;
    expect(container).toMatchObject({
      // Multi-arch, no anonymous pull limits, pinned by tag and digest.
      image: expect.stringMatching(/^registry\.k8s\.io\/e2e-test-images\/agnhost:2\.56@sha256:[0-9a-f]{64}$/),
      args: ['netexec', '--http-port=80', '--udp-port=-1'],
      ports: [{ containerPort: 80 }],
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
      readinessProbe: { httpGet: { path: '/', port: 80 } },
      livenessProbe: { httpGet: { path: '/', port: 80 } },
    });
    const service = deployment.objects.find(o => o.kind === 'Service');
    expect(service.metadata).toMatchObject({ name: 'frontend', namespace: 'default' });
    expect(service.spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 80, targetPort: 80 }] });
    expect(service.spec.selector).toEqual(deployment.object.spec.template.metadata.labels);
  });

  test('without a frontend it still gets its namespace (kept on delete)', () => {
    const { template } = build({ helloWorld: true, frontend: { enabled: false, namespace: 'smoke' } });
    const ns = objectOfKind(template, 'Namespace');
    const deployment = objectOfKind(template, 'Deployment');
    expect(ns.object.metadata.name).toBe('smoke');
    expect(deployment.object.metadata.namespace).toBe('smoke');
    expect(deployment.dependsOn).toContain(ns.logicalId);
    template.hasResource('Custom::AWSCDK-EKS-KubernetesResource', { DeletionPolicy: 'Retain', Properties: { Manifest: Match.stringLikeRegexp('"kind":"Namespace"') } });
  });

  test('is off by default', () => {
    const { template } = build();
    expect(manifests(template).flatMap(m => m.objects).map(o => o.kind)).toEqual(['TargetGroupBinding']);
  });
});

describe('ScopeCluster bad input', () => {
  test.each([0, -1, 451, 2.5])('nodeCount %p', (nodeCount) => {
    expect(() => build({ nodeCount })).toThrow(`Invalid nodeCount ${nodeCount}: must be a whole number from 1 to 450.`);
  });

  test('nodeCount 450 is accepted', () => {
    expect(() => build({ nodeCount: 450 })).not.toThrow();
  });

  test('instance type that does not parse', () => {
    expect(() => build({ instanceType: new ec2.InstanceType('banana') }))
      .toThrow("Invalid instanceType 'banana': must be an EC2 instance type such as m7i.large or m7g.large");
  });

  test('instanceType and instanceTypes together, none, or of two architectures', () => {
    expect(() => build({ instanceType: new ec2.InstanceType('m7i.large'), instanceTypes: [new ec2.InstanceType('m7i.large')] }))
      .toThrow('Invalid instanceType/instanceTypes: give one of them');
    expect(() => build({ instanceTypes: [] })).toThrow('Invalid instanceTypes []: give at least one EC2 instance type');
    expect(() => build({ instanceTypes: [new ec2.InstanceType('t4g.medium'), new ec2.InstanceType('t3a.medium')] }))
      .toThrow('Invalid instanceTypes [t4g.medium, t3a.medium]: all must have one architecture (one AMI per node group)');
  });

  test('an instance type the capacity table does not know still works', () => {
    const { template } = build({ instanceType: new ec2.InstanceType('r7g.xlarge'), prefixDelegation: true });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { InstanceTypes: ['r7g.xlarge'], AmiType: 'AL2023_ARM_64_STANDARD' });
  });

  test.each([0, 11, 1.5])('frontend.controllerReplicas %p', (controllerReplicas) => {
    expect(() => build({ frontend: { controllerReplicas } }))
      .toThrow(`Invalid frontend.controllerReplicas ${controllerReplicas}: must be a whole number from 1 to 10.`);
  });

  test('version the bundled kubectl layers do not cover', () => {
    expect(() => build({ version: eks.KubernetesVersion.V1_33 }))
      .toThrow("Invalid version 1.33: a kubectl layer is bundled for Kubernetes 1.34, 1.35, 1.36 only; use one of these (KubernetesVersion.of('1.36') is the default) "
        + 'or pass cluster.kubectlLayer with the layer for 1.33 (e.g. from @aws-cdk/lambda-layer-kubectl-v33).');
  });

  test('version that is not a Kubernetes minor version', () => {
    expect(() => build({ version: eks.KubernetesVersion.of('1.36.2') }))
      .toThrow("Invalid version '1.36.2': must be a Kubernetes minor version such as 1.36.");
  });

  test('addonVersions: unknown add-on and malformed version', () => {
    expect(() => build({ addonVersions: { 'vpc-cni-typo': 'v1.20.0-eksbuild.1' } }))
      .toThrow("Invalid addonVersions: 'vpc-cni-typo' is not a managed add-on of this cluster; its add-ons are 'eks-pod-identity-agent'");
    expect(() => build({ addonVersions: { 'eks-pod-identity-agent': 'latest' } }))
      .toThrow("Invalid addonVersions['eks-pod-identity-agent'] 'latest': must be an EKS add-on version such as v1.3.10-eksbuild.2");
  });

  test('certificate without port 443, and port 443 without certificate', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
    expect(() => new ScopeCluster(stack, 'A', { frontend: { certificate } }))
      .toThrow('Invalid frontend.certificate: it is used only by a TLS listener on port 443; add 443 to frontend.ports (now [80]).');
    expect(() => build({ frontend: { ports: [80, 443] } }))
      .toThrow('Invalid frontend.ports [80, 443]: port 443 is a TLS listener and needs frontend.certificate (an ACM certificate).');
  });

  test('helloWorld with a target port it does not listen on', () => {
    expect(() => build({ helloWorld: true, frontend: { servicePort: 8080 } }))
      .toThrow('Invalid frontend.targetPort 8080: helloWorld pods listen on port 80');
  });

  test('VPC without private subnets', () => {
    const stack = new Stack(new App(), 'Stack', { env: ENV });
    const vpc = new ec2.Vpc(stack, 'Vpc', { subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(() => new ScopeCluster(stack, 'Scope', { vpc })).toThrow(/^Invalid vpc: ScopeCluster needs private subnets with egress/);
  });

  test('bad envName', () => {
    expect(() => build({ envName: 'Prod' })).toThrow("Invalid envName 'Prod'");
  });
});
