import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AliasType, EnvironmentDns, EnvironmentDnsProps } from '../../src';

const ROLE_ARN = 'arn:aws:iam::111111111111:role/ZoneDelegation';

function stack(region?: string): Stack {
  return new Stack(new App(), 'Dns', region ? { env: { account: '222222222222', region } } : undefined);
}

function nlb(s: Stack, ipAddressType = elbv2.IpAddressType.IPV4): elbv2.NetworkLoadBalancer {
  const vpc = new ec2.Vpc(s, 'Vpc', {
    maxAzs: 1,
    natGateways: 0,
    subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    ipProtocol: ipAddressType === elbv2.IpAddressType.IPV4 ? ec2.IpProtocol.IPV4_ONLY : ec2.IpProtocol.DUAL_STACK,
  });
  return new elbv2.NetworkLoadBalancer(s, 'Frontend', { vpc, internetFacing: true, ipAddressType });
}

function parent(s: Stack, name = 'example.com'): route53.IHostedZone {
  return route53.HostedZone.fromHostedZoneAttributes(s, 'Parent', { hostedZoneId: 'ZPARENT', zoneName: name });
}

function build(props: Partial<EnvironmentDnsProps> = {}, s = stack()): { s: Stack; dns: EnvironmentDns; t: Template } {
  const dns = new EnvironmentDns(s, 'Dns', { zoneName: 'dev.example.com', ...props });
  return { s, dns, t: Template.fromStack(s) };
}

/** The alias target of the NLB: the `dualstack.` DNS name and the canonical zone id, both GetAtts of the NLB. */
function nlbAlias(t: Template) {
  const lbId = Object.keys(t.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
  return {
    DNSName: { 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': [lbId, 'DNSName'] }]] },
    HostedZoneId: { 'Fn::GetAtt': [lbId, 'CanonicalHostedZoneID'] },
    EvaluateTargetHealth: true,
  };
}

function zoneRef(t: Template) {
  return { Ref: Object.keys(t.findResources('AWS::Route53::HostedZone'))[0] };
}

describe('zone', () => {
  test('creates the public zone, retained by default (except by the rollback of the deploy that created it), with a stable logical id', () => {
    const { t, dns } = build();
    t.resourceCountIs('AWS::Route53::HostedZone', 1);
    t.hasResource('AWS::Route53::HostedZone', {
      Properties: { Name: 'dev.example.com.', QueryLoggingConfig: Match.absent(), VPCs: Match.absent() },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
    // Pinned: a changed logical id replaces the zone (new name servers, broken delegation).
    expect(Object.keys(t.findResources('AWS::Route53::HostedZone'))).toEqual(['DnsZone1A7256CF']);
    expect(dns.zoneName).toBe('dev.example.com');
    expect(dns.frontendName).toBe('frontend.dev.example.com');
    expect(dns.frontendRecord).toBeUndefined();
    expect(dns.certificate).toBeUndefined();
    expect(dns.nameServers).toBeDefined();
  });

  test('tolerates a trailing dot and honours removalPolicy', () => {
    const { t, dns } = build({ zoneName: 'dev.example.com.', removalPolicy: RemovalPolicy.DESTROY });
    t.hasResource('AWS::Route53::HostedZone', { Properties: { Name: 'dev.example.com.' }, DeletionPolicy: 'Delete' });
    expect(dns.frontendName).toBe('frontend.dev.example.com');
  });

  test('uses an existing zone without creating one or delegating it', () => {
    const s = stack();
    const zone = route53.HostedZone.fromHostedZoneAttributes(s, 'Existing', { hostedZoneId: 'ZEXISTING', zoneName: 'dev.example.com' });
    const { t, dns } = build({ zone, frontend: nlb(s) }, s);
    t.resourceCountIs('AWS::Route53::HostedZone', 0);
    expect(dns.zone).toBe(zone);
    expect(Object.keys(t.toJSON().Outputs ?? {})).toEqual([]);
    t.hasResourceProperties('AWS::Route53::RecordSet', { HostedZoneId: 'ZEXISTING', Name: 'frontend.dev.example.com.', Type: 'A' });
  });

  test('query logging: a us-east-1 log group with a Route 53 resource policy, created before the zone', () => {
    const { t, dns } = build({ queryLogging: true }, stack('us-east-1'));
    const logGroupId = Object.keys(t.findResources('AWS::Logs::LogGroup'))[0];
    expect(dns.queryLogGroup).toBeDefined();
    t.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    const zone = Object.values(t.findResources('AWS::Route53::HostedZone'))[0];
    expect(zone.Properties.QueryLoggingConfig).toEqual({ CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } });
    const policyId = Object.keys(t.findResources('AWS::Logs::ResourcePolicy'))[0];
    expect(zone.DependsOn).toEqual(expect.arrayContaining([logGroupId, policyId]));
    const policy = JSON.parse(Object.values(t.findResources('AWS::Logs::ResourcePolicy'))[0].Properties.PolicyDocument['Fn::Join'][1]
      .map((p: any) => (typeof p === 'string' ? p : p.Ref === 'AWS::Partition' ? 'aws' : JSON.stringify(p).replace(/"/g, "'"))).join(''));
    expect(policy.Statement).toEqual([expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 'route53.amazonaws.com' },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `{'Fn::GetAtt':['${logGroupId}','Arn']}`,
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:route53:::hostedzone/*' }, StringEquals: { 'aws:SourceAccount': '222222222222' } },
    })]);
  });

  test('query logging outside us-east-1 fails; in an environment-agnostic stack it warns', () => {
    expect(() => build({ queryLogging: true }, stack('eu-west-1')))
      .toThrow('Invalid queryLogging: Route 53 writes query logs only to CloudWatch Logs in us-east-1, and this stack is in eu-west-1.');
    const { s } = build({ queryLogging: true });
    Annotations.fromStack(s).hasWarning('/Dns/Dns', Match.stringLikeRegexp('queryLogging: .*deploy it to us-east-1'));
  });
});

describe('frontend records', () => {
  test('an A alias to the load balancer, no AAAA unless dualStack', () => {
    const s = stack();
    const { t, dns } = build({ frontend: nlb(s) }, s);
    t.resourceCountIs('AWS::Route53::RecordSet', 1);
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'frontend.dev.example.com.',
      Type: 'A',
      HostedZoneId: zoneRef(t),
      AliasTarget: nlbAlias(t),
    });
    expect(dns.frontendRecord).toBeDefined();
    expect(dns.frontendAaaaRecord).toBeUndefined();
  });

  test('A and AAAA with dualStack, custom name, target health off', () => {
    const s = stack();
    const { t, dns } = build({ frontend: nlb(s, elbv2.IpAddressType.DUAL_STACK), dualStack: true, frontendRecordName: 'scope', evaluateTargetHealth: false }, s);
    for (const type of ['A', 'AAAA']) {
      t.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'scope.dev.example.com.', Type: type, AliasTarget: { ...nlbAlias(t), EvaluateTargetHealth: false },
      });
    }
    expect(dns.frontendName).toBe('scope.dev.example.com');
    expect(dns.frontendAaaaRecord).toBeDefined();
  });

  test('dualStack is refused for an IPv4-only load balancer and without one: no AAAA record that never answers', () => {
    expect(() => build({ frontend: nlb(stack()), dualStack: true })).toThrow(/Invalid dualStack: .*this one is IPv4 only/);
    expect(() => build({ dualStack: true })).toThrow(/Invalid dualStack: .*there is no frontend/);
  });
});

describe('aliases', () => {
  test('a CNAME into another zone, a CNAME in this zone and an apex ALIAS', () => {
    const s = stack();
    const root = parent(s);
    const { t } = build({
      frontend: nlb(s, elbv2.IpAddressType.DUAL_STACK),
      dualStack: true,
      aliases: [
        { name: 'scope.example.com', zone: root },
        { name: 'www.dev.example.com.' },
        { name: 'example.com', zone: root, type: AliasType.ALIAS },
      ],
    }, s);
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'scope.example.com.', Type: 'CNAME', HostedZoneId: 'ZPARENT', ResourceRecords: ['frontend.dev.example.com'],
    });
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'www.dev.example.com.', Type: 'CNAME', HostedZoneId: zoneRef(t), ResourceRecords: ['frontend.dev.example.com'],
    });
    for (const type of ['A', 'AAAA']) {
      t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'example.com.', Type: type, HostedZoneId: 'ZPARENT', AliasTarget: nlbAlias(t) });
    }
    t.resourceCountIs('AWS::Route53::RecordSet', 2 + 2 + 2);
  });

  test('a CNAME without frontend warns that the target is not created here', () => {
    const { s, t } = build({ aliases: [{ name: 'www.dev.example.com' }] });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'www.dev.example.com.', Type: 'CNAME' });
    Annotations.fromStack(s).hasWarning('/Dns/Dns', Match.stringLikeRegexp('does not create without frontend'));
  });
});

describe('delegation', () => {
  test('same account: an NS record for the zone in the parent zone', () => {
    const s = stack();
    const { t } = build({ parentZone: parent(s) }, s);
    t.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'ZPARENT',
      Name: 'dev.example.com.',
      Type: 'NS',
      ResourceRecords: { 'Fn::GetAtt': [zoneRef(t).Ref, 'NameServers'] },
    });
    expect(Object.keys(t.toJSON().Outputs ?? {})).toEqual([]);
  });

  test('cross account: the delegation custom resource assumes the given role', () => {
    const { t } = build({ delegation: { parentZoneName: 'example.com', delegationRoleArn: ROLE_ARN } });
    t.hasResourceProperties('Custom::CrossAccountZoneDelegation', {
      AssumeRoleArn: ROLE_ARN,
      ParentZoneName: 'example.com',
      DelegatedZoneName: 'dev.example.com',
      DelegatedZoneNameServers: { 'Fn::GetAtt': [zoneRef(t).Ref, 'NameServers'] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sts:AssumeRole', Effect: 'Allow', Resource: ROLE_ARN })]) },
    });
    expect(Object.keys(t.toJSON().Outputs ?? {})).toEqual([]);
  });

  test('by hand: the name servers are an output that says what to do with them', () => {
    const { t } = build();
    const outputs = t.findOutputs('*');
    expect(Object.values(outputs)).toEqual([{
      Value: { 'Fn::Join': [',', { 'Fn::GetAtt': [zoneRef(t).Ref, 'NameServers'] }] },
      Description: "Name servers of dev.example.com: add them as NS records for dev.example.com at the parent domain's DNS provider (e.g. CloudFlare).",
    }]);
  });
});

describe('certificate', () => {
  test('for the frontend and alias names, DNS-validated in each name\'s zone, with a warning', () => {
    const s = stack();
    const root = parent(s);
    const { t, dns } = build({ frontend: nlb(s), certificate: true, aliases: [{ name: 'scope.example.com', zone: root }] }, s);
    t.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'frontend.dev.example.com',
      SubjectAlternativeNames: ['scope.example.com'],
      ValidationMethod: 'DNS',
      DomainValidationOptions: [
        { DomainName: 'frontend.dev.example.com', HostedZoneId: zoneRef(t) },
        { DomainName: 'scope.example.com', HostedZoneId: 'ZPARENT' },
      ],
    });
    expect(dns.certificate).toBeDefined();
    Annotations.fromStack(s).hasWarning('/Dns/Dns', Match.stringLikeRegexp('the deployment waits .* until the zone is delegated'));
  });

  test('zone deleted with the stack: a cleanup between zone and certificate removes ACM\'s validation records of this zone\'s names', () => {
    const s = stack();
    const root = parent(s);
    const { t } = build({
      frontend: nlb(s),
      certificate: true,
      removalPolicy: RemovalPolicy.DESTROY,
      aliases: [{ name: 'scope.example.com', zone: root }, { name: 'www.dev.example.com' }],
    }, s);
    const [[cleanupId, cleanup]] = Object.entries(t.findResources('Custom::ScopeAcmValidationRecordCleanup'));
    // Only the names validated in this zone; the parent zone outlives the stack.
    expect(cleanup.Properties).toMatchObject({ HostedZoneId: zoneRef(t), RecordNames: ['frontend.dev.example.com', 'www.dev.example.com'] });
    const [cert] = Object.values(t.findResources('AWS::CertificateManager::Certificate'));
    expect(cert.DependsOn).toContain(cleanupId);
    // The function may list and change records of this zone only.
    const [role] = Object.values(t.findResources('AWS::IAM::Role', { Properties: { Policies: Match.anyValue() } }));
    expect(role.Properties.Policies[0].PolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Action: ['route53:ListResourceRecordSets', 'route53:ChangeResourceRecordSets'],
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':route53:::hostedzone/', zoneRef(t)]] },
    }]);
  });

  test('a retained zone (RetainExceptOnCreate) gets the cleanup too, limited to the rollback of its creation', () => {
    const s = stack();
    const { t } = build({ frontend: nlb(s), certificate: true, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE }, s);
    const [zone] = Object.values(t.findResources('AWS::Route53::HostedZone'));
    expect(zone.DeletionPolicy).toBe('RetainExceptOnCreate');
    const [[cleanupId, cleanup]] = Object.entries(t.findResources('Custom::ScopeAcmValidationRecordCleanup'));
    expect(cleanup.Properties).toMatchObject({ HostedZoneId: zoneRef(t), RecordNames: ['frontend.dev.example.com'], DeleteRecords: 'OnCreateRollback' });
    const [cert] = Object.values(t.findResources('AWS::CertificateManager::Certificate'));
    expect(cert.DependsOn).toContain(cleanupId);
    // It reads its own stack's status (DescribeStacks on this stack only) to tell a rollback of the create from a destroy.
    const [role] = Object.values(t.findResources('AWS::IAM::Role', { Properties: { Policies: Match.anyValue() } }));
    expect(role.Properties.Policies[0].PolicyDocument.Statement).toContainEqual({ Effect: 'Allow', Action: ['cloudformation:DescribeStacks'], Resource: { Ref: 'AWS::StackId' } });
  });

  test('a zone deleted with the stack: no DeleteRecords property (records go on every delete), no DescribeStacks', () => {
    const s = stack();
    const { t } = build({ frontend: nlb(s), certificate: true, removalPolicy: RemovalPolicy.DESTROY }, s);
    const [cleanup] = Object.values(t.findResources('Custom::ScopeAcmValidationRecordCleanup'));
    expect(cleanup.Properties.DeleteRecords).toBeUndefined();
    expect(JSON.stringify(t.toJSON())).not.toContain('cloudformation:DescribeStacks');
  });

  test.each<[string, { removalPolicy: RemovalPolicy; zone?: string }]>([
    ['a zone retained even on a failed create (RETAIN)', { removalPolicy: RemovalPolicy.RETAIN }],
    ['an existing zone', { removalPolicy: RemovalPolicy.DESTROY, zone: 'imported' }],
  ])('no cleanup (and no Lambda) for %s', (_, extra) => {
    const s = stack();
    const zone = extra.zone ? route53.HostedZone.fromHostedZoneAttributes(s, 'Existing', { hostedZoneId: 'ZDEV', zoneName: 'dev.example.com' }) : undefined;
    const { t } = build({ frontend: nlb(s), certificate: true, removalPolicy: extra.removalPolicy, zone }, s);
    t.resourceCountIs('Custom::ScopeAcmValidationRecordCleanup', 0);
    t.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('no certificate, no warning', () => {
    const { s } = build();
    Annotations.fromStack(s).hasNoWarning('*', Match.anyValue());
  });
});

describe('dnssec', () => {
  test('an ECC_NIST_P256 signing key, a key signing key and signing on, kept with the zone', () => {
    const { t, dns } = build({ dnssec: true }, stack('us-east-1'));
    const zoneId = zoneRef(t).Ref;
    expect(zoneId).toBe('DnsZone1A7256CF');
    t.hasResource('AWS::KMS::Key', {
      Properties: {
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'dnssec-route53.amazonaws.com' },
              Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
              Condition: { ArnEquals: { 'aws:SourceArn': Match.anyValue() } },
            }),
            Match.objectLike({
              Principal: { Service: 'dnssec-route53.amazonaws.com' },
              Action: 'kms:CreateGrant',
              Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
            }),
          ]),
        },
      },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
    const keyId = Object.keys(t.findResources('AWS::KMS::Key'))[0];
    t.hasResource('AWS::Route53::KeySigningKey', {
      Properties: { HostedZoneId: { Ref: zoneId }, KeyManagementServiceArn: { 'Fn::GetAtt': [keyId, 'Arn'] }, Status: 'ACTIVE' },
      DeletionPolicy: 'RetainExceptOnCreate',
    });
    t.hasResource('AWS::Route53::DNSSEC', { Properties: { HostedZoneId: { Ref: zoneId } }, DeletionPolicy: 'RetainExceptOnCreate' });
    expect(dns.dnssecKey).toBeDefined();
    expect(dns.keySigningKey).toBeDefined();
  });

  test('outside us-east-1 fails', () => {
    expect(() => build({ dnssec: true }, stack('eu-central-1')))
      .toThrow('Invalid dnssec: Route 53 uses DNSSEC signing keys only from KMS in us-east-1, and this stack is in eu-central-1.');
  });
});

describe('bad input', () => {
  test.each([
    ['example'],
    ['-dev.example.com'],
    ['dev-.example.com'],
    ['Dev.example.com'],
    ['dev..example.com'],
    ['dev_1.example.com'],
    [`${'a'.repeat(64)}.example.com`],
    [`${'a.'.repeat(126)}com`],
  ])('zoneName %s', (zoneName) => {
    expect(() => build({ zoneName })).toThrow(`Invalid zoneName '${zoneName}': must be a domain name of at least two labels`);
  });

  test('zoneName edge cases that are valid', () => {
    expect(() => build({ zoneName: `${'a'.repeat(63)}.example.com` })).not.toThrow();
    expect(() => build({ zoneName: 'dev-1.example.com' })).not.toThrow();
  });

  test('frontendRecordName with the zone name repeated, or not a label', () => {
    expect(() => build({ frontendRecordName: 'frontend.dev.example.com' }))
      .toThrow("Invalid frontendRecordName 'frontend.dev.example.com': give the name relative to the zone dev.example.com (e.g. 'frontend' for frontend.dev.example.com), without the zone name.");
    expect(() => build({ frontendRecordName: 'frontend.' })).toThrow("Invalid frontendRecordName 'frontend.': give the name relative to the zone");
    expect(() => build({ frontendRecordName: 'front_end' })).toThrow("Invalid frontendRecordName 'front_end': must be one or more labels relative to the zone");
    expect(() => build({ frontendRecordName: '' })).toThrow("Invalid frontendRecordName '': must be one or more labels");
  });

  test('an alias outside the zone it is written into', () => {
    expect(() => build({ aliases: [{ name: 'www.dev.example.com' }, { name: 'scope.example.com' }] }))
      .toThrow("Invalid aliases[1].name 'scope.example.com': it is outside the zone it is written into (dev.example.com); use a name ending in .dev.example.com, or set aliases[1].zone to the zone that holds it.");
    const s = stack();
    expect(() => build({ aliases: [{ name: 'scope.example.org', zone: parent(s) }] }, s))
      .toThrow("Invalid aliases[0].name 'scope.example.org': it is outside the zone it is written into (example.com)");
  });

  test('an alias that is not a domain name, clashes, or cannot be a CNAME', () => {
    expect(() => build({ aliases: [{ name: 'scope' }] })).toThrow("Invalid aliases[0].name 'scope': must be a domain name");
    expect(() => build({ aliases: [{ name: '' }] })).toThrow('Invalid aliases[0].name: required');
    expect(() => build({ aliases: [{ name: 'frontend.dev.example.com' }] }))
      .toThrow("Invalid aliases[0].name 'frontend.dev.example.com': the name is already used by the frontend record or an earlier alias.");
    expect(() => build({ aliases: [{ name: 'dev.example.com' }] }))
      .toThrow("Invalid aliases[0].type CNAME for 'dev.example.com': a CNAME cannot be at a zone apex; use AliasType.ALIAS.");
    expect(() => build({ aliases: [{ name: 'www.dev.example.com', type: AliasType.ALIAS }] }))
      .toThrow("Invalid aliases[0].type ALIAS for 'www.dev.example.com': an alias record needs the frontend load balancer (frontend)");
    const s = stack();
    const byId = route53.HostedZone.fromHostedZoneId(s, 'ById', 'ZBYID');
    expect(() => build({ aliases: [{ name: 'scope.example.com', zone: byId }] }, s))
      .toThrow('Invalid aliases[0].zone: its zone name is unknown; import the zone with HostedZone.fromHostedZoneAttributes() or fromLookup()');
  });

  test('delegation without its role, with a non-role ARN, or with a parent that is not a parent', () => {
    expect(() => build({ delegation: { parentZoneName: 'example.com', delegationRoleArn: '' } }))
      .toThrow("Invalid delegation.delegationRoleArn: required, the ARN of the role in the parent zone's account");
    expect(() => build({ delegation: { parentZoneName: 'example.com' } as any }))
      .toThrow('Invalid delegation.delegationRoleArn: required');
    expect(() => build({ delegation: { parentZoneName: 'example.com', delegationRoleArn: 'arn:aws:iam::111111111111:user/bob' } }))
      .toThrow("Invalid delegation.delegationRoleArn 'arn:aws:iam::111111111111:user/bob': must be an IAM role ARN, arn:aws:iam::<12-digit account>:role/<name>.");
    expect(() => build({ delegation: { parentZoneName: 'example.org', delegationRoleArn: ROLE_ARN } }))
      .toThrow("Invalid delegation.parentZoneName 'example.org': zoneName 'dev.example.com' must be a subdomain of it.");
    expect(() => build({ delegation: { delegationRoleArn: ROLE_ARN } as any })).toThrow('Invalid delegation.parentZoneName: required');
    const s = stack();
    expect(() => build({ parentZone: parent(s, 'example.org') }, s))
      .toThrow("Invalid parentZone 'example.org': zoneName 'dev.example.com' must be a subdomain of it.");
  });

  test('both parentZone and delegation', () => {
    const s = stack();
    expect(() => build({ parentZone: parent(s), delegation: { parentZoneName: 'example.com', delegationRoleArn: ROLE_ARN } }, s))
      .toThrow('Invalid parentZone and delegation: give at most one');
  });

  test('options that need a zone created here, or a zone whose name is not zoneName', () => {
    const s = stack('us-east-1');
    const zone = route53.HostedZone.fromHostedZoneAttributes(s, 'Existing', { hostedZoneId: 'ZEXISTING', zoneName: 'dev.example.com' });
    for (const extra of [{ parentZone: parent(s) }, { dnssec: true }, { queryLogging: true }]) {
      const prop = Object.keys(extra)[0];
      expect(() => new EnvironmentDns(s, `Dns${prop}`, { zoneName: 'dev.example.com', zone, ...extra }))
        .toThrow(`Invalid ${prop}: it applies only to a zone this construct creates`);
    }
    const other = route53.HostedZone.fromHostedZoneAttributes(s, 'Other', { hostedZoneId: 'ZOTHER', zoneName: 'prod.example.com' });
    expect(() => new EnvironmentDns(s, 'DnsOther', { zoneName: 'dev.example.com', zone: other }))
      .toThrow("Invalid zone: its name 'prod.example.com' is not zoneName 'dev.example.com'.");
  });
});
