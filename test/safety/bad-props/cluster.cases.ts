/** Bad props of cluster (ScopeClusterOptions), through ScopeEnvironment and ScopeCluster alone. */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BadPropsCase, certificate, env, environment, instanceType, vpcWith } from './harness';
import { EnvironmentProfile, FrontendEndpoint, ScopeCluster, ScopeEnvironment } from '../../../src';

export const CLUSTER_CASES: BadPropsCase[] = [
  // ---- cluster ----
  ['nodeCount 0', 'cluster.nodeCount', environment({ cluster: { nodeCount: 0 } })],
  ['nodeCount not whole', 'cluster.nodeCount', environment({ cluster: { nodeCount: 2.5 } })],
  ['nodeCount above the node group quota', 'cluster.nodeCount', environment({ cluster: { nodeCount: 451 } })],
  ['nodeDiskSize below 20 GiB', 'cluster.nodeDiskSize', environment({ cluster: { nodeDiskSize: 10 } })],
  ['instanceType that does not parse', 'cluster.instanceType', environment({ cluster: { instanceType: new ec2.InstanceType('bogus') } })],
  ['Kubernetes version without a matching kubectl layer', 'cluster.version', environment({ cluster: { version: eks.KubernetesVersion.V1_33 } })],
  ['Kubernetes version with a patch number', 'cluster.version', environment({ cluster: { version: eks.KubernetesVersion.of('1.36.1') } })],
  ['version pin for an add-on the cluster does not have', 'cluster.addonVersions', environment({ cluster: { addonVersions: { 'vpc-cnii': 'v1.20.0-eksbuild.1' } } })],
  ['add-on version that is no EKS add-on version', "cluster.addonVersions['eks-pod-identity-agent']",
    environment({ cluster: { addonVersions: { 'eks-pod-identity-agent': 'latest' } } })],
  ['admin principal that is not an IAM ARN', 'cluster.adminPrincipalArns[0]', environment({ cluster: { adminPrincipalArns: ['alice'] } })],
  ['the same admin twice', 'cluster.adminRoles/adminPrincipalArns', env(s => new ScopeEnvironment(s, 'dev', {
    cluster: {
      adminRoles: [iam.Role.fromRoleArn(s, 'Admin', 'arn:aws:iam::111111111111:role/admin')],
      adminPrincipalArns: ['arn:aws:iam::111111111111:role/admin'],
    },
  }))],
  ['no listener port', 'cluster.frontend.ports', environment({ cluster: { frontend: { ports: [] } } })],
  ['listener port 0', 'cluster.frontend.ports', environment({ cluster: { frontend: { ports: [0] } } })],
  ['the same listener port twice', 'cluster.frontend.ports', environment({ cluster: { frontend: { ports: [80, 80] } } })],
  ['TLS port 443 without a certificate', 'cluster.frontend.ports', environment({ cluster: { frontend: { ports: [80, 443] } } })],
  ['certificate without port 443', 'cluster.frontend.certificate', env(s => new ScopeEnvironment(s, 'dev', { cluster: { frontend: { certificate: certificate(s) } } }))],
  ['servicePort out of range', 'cluster.frontend.servicePort', environment({ cluster: { frontend: { servicePort: 70000 } } })],
  ['targetPort 0', 'cluster.frontend.targetPort', environment({ cluster: { frontend: { targetPort: 0 } } })],
  ['namespace that is no Kubernetes name', 'cluster.frontend.namespace', environment({ cluster: { frontend: { namespace: 'Scope_Apps' } } })],
  ['serviceName that is no Kubernetes name', 'cluster.frontend.serviceName', environment({ cluster: { frontend: { serviceName: 'Front End' } } })],
  ['empty controller chart version', 'cluster.frontend.controllerChartVersion', environment({ cluster: { frontend: { controllerChartVersion: '' } } })],
  ['helloWorld behind a targetPort the pods do not listen on', 'cluster.frontend.targetPort', environment({ cluster: { helloWorld: true, frontend: { targetPort: 8080 } } })],
  ['ScopeCluster in a VPC without private subnets', 'vpc', s => new ScopeCluster(s, 'Cluster', { vpc: vpcWith(s, ec2.SubnetType.PUBLIC) })],
  ['service account role with a bad namespace', 'namespace', s => new ScopeCluster(s, 'Cluster').serviceAccountRole('Bad NS', 'query')],
  ['FrontendEndpoint TLS port without a certificate', 'frontend.ports', s => {
    const cluster = new ScopeCluster(s, 'Cluster', { frontend: { enabled: false } });
    return new FrontendEndpoint(s, 'Frontend', { cluster: cluster.cluster, ports: [443] });
  }],
  // ---- added for issue 26: instance types EC2 does not sell or too small for the system pods, NaN and empty values ----
  ['instanceType of a size EC2 does not sell', 'cluster.instanceType', environment({ cluster: { instanceType: instanceType('m7i.huge') } })],
  ['t3.nano (DEVELOPMENT, prefix delegation): too little memory for the system pods', 'cluster.instanceType', environment({ cluster: { instanceType: instanceType('t3.nano') } })],
  ['t3.nano (PRODUCTION): fewer pod slots than the system pods', 'cluster.instanceType', environment({ profile: EnvironmentProfile.PRODUCTION, cluster: { instanceType: instanceType('t3.nano') } })],
  ['t3.micro on one node', 'cluster.instanceType', environment({ cluster: { instanceType: instanceType('t3.micro'), nodeCount: 1, prefixDelegation: false } })],
  ['a too small type among instanceTypes', 'cluster.instanceTypes[1]', environment({ cluster: { instanceTypes: [instanceType('t4g.medium'), instanceType('t4g.micro')] } })],
  ['an unknown size among instanceTypes', 'cluster.instanceTypes[1]', environment({ cluster: { instanceTypes: [instanceType('m7i.large'), instanceType('m7i.huge')] } })],
  ['instanceType and instanceTypes together', 'cluster.instanceType/instanceTypes', environment({ cluster: { instanceType: instanceType('m7i.large'), instanceTypes: [instanceType('m7i.large')] } })],
  ['empty instanceTypes', 'cluster.instanceTypes', environment({ cluster: { instanceTypes: [] } })],
  ['instanceTypes of two architectures', 'cluster.instanceTypes', environment({ cluster: { instanceTypes: [instanceType('m7i.large'), instanceType('m7g.large')] } })],
  ['negative nodeCount', 'cluster.nodeCount', environment({ cluster: { nodeCount: -1 } })],
  ['nodeCount NaN', 'cluster.nodeCount', environment({ cluster: { nodeCount: NaN } })],
  ['nodeDiskSize NaN', 'cluster.nodeDiskSize', environment({ cluster: { nodeDiskSize: NaN } })],
  ['nodeDiskSize not whole', 'cluster.nodeDiskSize', environment({ cluster: { nodeDiskSize: 20.5 } })],
  ['nodeDiskSize above 16 TiB', 'cluster.nodeDiskSize', environment({ cluster: { nodeDiskSize: 16385 } })],
  ['empty admin principal', 'cluster.adminPrincipalArns[0]', environment({ cluster: { adminPrincipalArns: [''] } })],
  ['controllerReplicas 0', 'cluster.frontend.controllerReplicas', environment({ cluster: { frontend: { controllerReplicas: 0 } } })],
  ['controllerReplicas above 10', 'cluster.frontend.controllerReplicas', environment({ cluster: { frontend: { controllerReplicas: 11 } } })],
  ['accessLogsPrefix without accessLogsBucket', 'cluster.frontend.accessLogsPrefix', environment({ cluster: { frontend: { accessLogsPrefix: 'lb' } } })],
  ['accessLogsPrefix containing AWSLogs', 'cluster.frontend.accessLogsPrefix', env(s => new ScopeEnvironment(s, 'dev', {
    cluster: { frontend: { accessLogsBucket: new s3.Bucket(s, 'Logs'), accessLogsPrefix: 'AWSLogs' } },
  }))],
  ['negative servicePort', 'cluster.frontend.servicePort', environment({ cluster: { frontend: { servicePort: -1 } } })],
  ['servicePort NaN', 'cluster.frontend.servicePort', environment({ cluster: { frontend: { servicePort: NaN } } })],
  ['listener port above 65535', 'cluster.frontend.ports', environment({ cluster: { frontend: { ports: [70000] } } })],
  ['listener port not whole', 'cluster.frontend.ports', environment({ cluster: { frontend: { ports: [80.5] } } })],
  ['empty namespace', 'cluster.frontend.namespace', environment({ cluster: { frontend: { namespace: '' } } })],
  ['namespace longer than 63 characters', 'cluster.frontend.namespace', environment({ cluster: { frontend: { namespace: 'a'.repeat(64) } } })],
  ['empty serviceName', 'cluster.frontend.serviceName', environment({ cluster: { frontend: { serviceName: '' } } })],
  ['Kubernetes version that is no minor version', 'cluster.version', environment({ cluster: { version: eks.KubernetesVersion.of('1.2') } })],
  ['Kubernetes version long out of support', 'cluster.version', environment({ cluster: { version: eks.KubernetesVersion.of('1.20') } })],
  ['empty add-on version', "cluster.addonVersions['vpc-cni']", environment({ cluster: { addonVersions: { 'vpc-cni': '' } } })],
  ['ScopeCluster instanceType of a size EC2 does not sell', 'instanceType', s => new ScopeCluster(s, 'Cluster', { instanceType: instanceType('m7i.huge') })],
  ['ScopeCluster on t3.nano', 'instanceType', s => new ScopeCluster(s, 'Cluster', { instanceType: instanceType('t3.nano') })],
  ['ScopeCluster instanceTypes [t3.micro]', 'instanceTypes[0]', s => new ScopeCluster(s, 'Cluster', { instanceTypes: [instanceType('t3.micro')] })],
  ['ScopeCluster envName with capitals', 'envName', s => new ScopeCluster(s, 'Cluster', { envName: 'Dev' })],
  ['ScopeCluster availabilityZones with a given vpc', 'availabilityZones', s => new ScopeCluster(s, 'Cluster', { vpc: new ec2.Vpc(s, 'Vpc'), availabilityZones: ['eu-west-1a', 'eu-west-1b'] })],
];
