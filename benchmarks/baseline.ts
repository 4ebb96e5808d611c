/**
 * The hand-written reference: the resources of a DEVELOPMENT ScopeEnvironment with a domain,
 * written directly with aws-cdk-lib constructs, as an app repo would without this library.
 * Used only to compare synth time and footprint (run.ts).
 */
import * as path from 'path';
import { KubectlV36Layer } from '@aws-cdk/lambda-layer-kubectl-v36';
import { CfnOutput, CustomResource, Duration, RemovalPolicy, SecretValue, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnPodIdentityAssociation } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export class BaselineStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);

    // ---- network and cluster --------------------------------------------------------------------
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
    });
    const cluster = new eks.Cluster(this, 'Cluster', {
      version: eks.KubernetesVersion.of('1.36'),
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      secretsEncryptionKey: new kms.Key(this, 'SecretsKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY }),
      clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR],
      kubectlProviderOptions: { kubectlLayer: new KubectlV36Layer(this, 'KubectlLayer') },
    });
    const launchTemplate = new ec2.LaunchTemplate(this, 'NodeLaunchTemplate', {
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(20, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }) }],
    });
    const nodegroup = cluster.addNodegroupCapacity('Nodes', {
      instanceTypes: [new ec2.InstanceType('t3a.medium')],
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      launchTemplateSpec: { id: launchTemplate.launchTemplateId!, version: launchTemplate.latestVersionNumber },
      minSize: 2,
      maxSize: 2,
      desiredSize: 2,
    });
    cluster.eksPodIdentityAgent?.node.addDependency(nodegroup);

    // ---- frontend load balancer, bound to a Service by the AWS Load Balancer Controller ----------
    const nlbSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', { vpc, allowAllOutbound: false });
    const nlb = new elbv2.NetworkLoadBalancer(this, 'LoadBalancer', { vpc, internetFacing: true, crossZoneEnabled: true, securityGroups: [nlbSecurityGroup] });
    const targetGroup = new elbv2.NetworkTargetGroup(this, 'TargetGroup', { vpc, port: 80, protocol: elbv2.Protocol.TCP, targetType: elbv2.TargetType.IP });
    nlb.addListener('Listener', { port: 80, defaultTargetGroups: [targetGroup] });
    nlb.connections.allowFromAnyIpv4(ec2.Port.tcp(80));
    nlb.connections.allowTo(cluster.clusterSecurityGroup, ec2.Port.tcp(80));

    const controllerRole = new iam.Role(this, 'ControllerRole', {
      assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
    });
    controllerRole.addToPolicy(new iam.PolicyStatement({ actions: ['elasticloadbalancing:Describe*', 'ec2:Describe*'], resources: ['*'] }));
    controllerRole.addToPolicy(new iam.PolicyStatement({
      actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      resources: [targetGroup.targetGroupArn],
    }));
    const association = new CfnPodIdentityAssociation(this, 'ControllerAssociation', {
      clusterName: cluster.clusterName, namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller', roleArn: controllerRole.roleArn,
    });
    const controller = cluster.addHelmChart('Controller', {
      repository: 'https://aws.github.io/eks-charts',
      chart: 'aws-load-balancer-controller',
      version: '1.14.0',
      namespace: 'kube-system',
      wait: true,
      values: { clusterName: cluster.clusterName, region: this.region, vpcId: vpc.vpcId, serviceAccount: { create: true, name: 'aws-load-balancer-controller' } },
    });
    controller.node.addDependency(association, nodegroup);
    const binding = cluster.addManifest('TargetGroupBinding', {
      apiVersion: 'elbv2.k8s.aws/v1beta1',
      kind: 'TargetGroupBinding',
      metadata: { name: 'frontend', namespace: 'default' },
      spec: { serviceRef: { name: 'frontend', port: 80 }, targetGroupARN: targetGroup.targetGroupArn, targetType: 'ip' },
    });
    binding.node.addDependency(controller);

    // ---- PostgreSQL and its bootstrap custom resource -------------------------------------------
    const engine = rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 });
    const db = new rds.DatabaseInstance(this, 'Database', {
      engine,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      parameterGroup: new rds.ParameterGroup(this, 'DatabaseParameters', { engine, parameters: { 'rds.force_ssl': '1' } }),
      credentials: rds.Credentials.fromGeneratedSecret('postgres'),
      storageType: rds.StorageType.GP3,
      allocatedStorage: 20,
      storageEncrypted: true,
      backupRetention: Duration.days(1),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    db.connections.allowDefaultPortFrom(cluster);
    const appSecret = new secretsmanager.Secret(this, 'DatabaseAppSecret', {
      generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'scope_users' }), generateStringKey: 'password', excludePunctuation: true },
    });
    const bootstrapFn = new lambda.Function(this, 'BootstrapFunction', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(__dirname, '../assets/database/bootstrap.lambda')),
      vpc,
      timeout: Duration.minutes(2),
      logGroup: new logs.LogGroup(this, 'BootstrapLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
    });
    db.connections.allowDefaultPortFrom(bootstrapFn);
    db.secret!.grantRead(bootstrapFn);
    appSecret.grantWrite(bootstrapFn);
    appSecret.grantRead(bootstrapFn);
    new CustomResource(this, 'DatabaseBootstrap', {
      serviceToken: new cr.Provider(this, 'BootstrapProvider', { onEventHandler: bootstrapFn }).serviceToken,
      resourceType: 'Custom::UsersDatabaseBootstrap',
      properties: { Host: db.dbInstanceEndpointAddress, MasterSecretArn: db.secret!.secretArn, AppSecretArn: appSecret.secretArn, DatabaseName: 'users' },
    });

    // ---- reports table and bucket ---------------------------------------------------------------
    const table = new dynamodb.Table(this, 'ReportsTable', {
      partitionKey: { name: 'hour', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'ts', type: dynamodb.AttributeType.NUMBER },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const bucket = new s3.Bucket(this, 'ReportsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    // ---- three service users: group with the rights, user, access key in a secret ---------------
    const users: Array<[string, (g: iam.IGrantable) => void]> = [
      ['ReportWriter', g => { table.grant(g, 'dynamodb:PutItem'); bucket.grantPut(g); }],
      ['ReportReader', g => { table.grant(g, 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:BatchGetItem'); bucket.grantRead(g); }],
      ['QueueReadWriter', g => iam.Grant.addToPrincipal({
        grantee: g,
        actions: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:CreateQueue'],
        resourceArns: [this.formatArn({ service: 'sqs', resource: 'dev_control_*' })],
      })],
    ];
    for (const [name, grant] of users) {
      const group = new iam.Group(this, `${name}Group`);
      grant(group);
      const user = new iam.User(this, `${name}User`, { groups: [group] });
      const key = new iam.AccessKey(this, `${name}AccessKey`, { user });
      const secret = new secretsmanager.Secret(this, `${name}Secret`, {
        secretObjectValue: { accessKeyId: SecretValue.unsafePlainText(key.accessKeyId), secretAccessKey: key.secretAccessKey },
      });
      new CfnOutput(this, `${name}SecretArn`, { value: secret.secretArn });
    }

    // ---- DNS --------------------------------------------------------------------------------------
    const zone = new route53.PublicHostedZone(this, 'Zone', { zoneName: 'dev.scope.example.com' });
    new route53.ARecord(this, 'Frontend', { zone, recordName: 'frontend', target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(nlb)) });

    new CfnOutput(this, 'DatabaseEndpoint', { value: db.dbInstanceEndpointAddress });
    new CfnOutput(this, 'FrontendDns', { value: nlb.loadBalancerDnsName });
  }
}
