import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { EmailSender, EmailSenderProps, IServiceAccountRoleProvider } from '../../src';

/** A minimal real Pod Identity binder: a role trusted by EKS Pod Identity plus its association. */
class PodIdentityCluster extends Construct implements IServiceAccountRoleProvider {
  public serviceAccountRole(namespace: string, name: string): iam.IRole {
    const role = new iam.Role(this, `${namespace}-${name}`, { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags() });
    new eks.CfnPodIdentityAssociation(this, `${namespace}-${name}-association`, { clusterName: 'scope', namespace, serviceAccount: name, roleArn: role.roleArn });
    return role;
  }
}

function build(props: Partial<EmailSenderProps> = {}, withCluster = false) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'prod.example.com' });
  const cluster = withCluster ? new PodIdentityCluster(stack, 'Cluster') : undefined;
  const sender = new EmailSender(stack, 'Email', { zone, envName: 'prod', cluster, ...props });
  return { stack, sender, template: Template.fromStack(stack) };
}

const SEND_ONLY = [{
  Effect: 'Allow',
  Action: ['ses:SendEmail', 'ses:SendRawEmail'],
  Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:111111111111:identity/', { Ref: 'EmailIdentityCD6BD173' }]] },
}];

test('verifies the zone domain in SES and writes the three DKIM CNAMEs into the zone', () => {
  const { template } = build();
  template.resourcePropertiesCountIs('AWS::SES::EmailIdentity', { EmailIdentity: 'prod.example.com' }, 1);
  for (const n of [1, 2, 3]) {
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: { Ref: 'ZoneA5DE4B68' },
      Type: 'CNAME',
      Name: { 'Fn::GetAtt': ['EmailIdentityCD6BD173', `DkimDNSTokenName${n}`] },
      ResourceRecords: [{ 'Fn::GetAtt': ['EmailIdentityCD6BD173', `DkimDNSTokenValue${n}`] }],
    });
  }
  template.resourcePropertiesCountIs('AWS::Route53::RecordSet', { Type: 'MX' }, 0);
});

test('without a cluster: a user in its own group, allowed only to send as the identity, key in a secret', () => {
  const { template, sender, stack } = build();
  expect(sender.role).toBeUndefined();
  const su = sender.sender!;
  const groupId = stack.getLogicalId(su.group.node.defaultChild as iam.CfnGroup);
  template.resourceCountIs('AWS::IAM::User', 1);
  template.hasResourceProperties('AWS::IAM::User', { UserName: 'prod_email_sender', Groups: [{ Ref: groupId }] });
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  expect(policies).toHaveLength(1);
  expect((policies[0] as any).Properties.Groups).toEqual([{ Ref: groupId }]);
  expect((policies[0] as any).Properties.PolicyDocument.Statement).toEqual(SEND_ONLY);

  const keyId = stack.getLogicalId(su.accessKey!.node.defaultChild as iam.CfnAccessKey);
  template.hasResourceProperties('AWS::SecretsManager::Secret', {
    SecretString: {
      'Fn::Join': ['', ['{"accessKeyId":"', { Ref: keyId }, '","secretAccessKey":"', { 'Fn::GetAtt': [keyId, 'SecretAccessKey'] },
        '","region":"eu-west-1","domain":"prod.example.com"}']],
    },
  });
  const outside = Object.entries<any>(template.toJSON().Resources).filter(([, r]) => r.Type !== 'AWS::SecretsManager::Secret');
  expect(JSON.stringify(outside)).not.toContain('SecretAccessKey');
  expect(JSON.stringify(template.toJSON().Outputs ?? {})).not.toContain('SecretAccessKey');
});

test('userName and keySerial', () => {
  const { template } = build({ userName: 'scope-mailer', keySerial: 2 });
  template.hasResourceProperties('AWS::IAM::User', { UserName: 'scope-mailer' });
  template.hasResourceProperties('AWS::IAM::AccessKey', { Serial: 2 });
});

test('with a cluster: a Pod Identity role for scope/email with the same single statement, no user or key', () => {
  const { template, sender, stack } = build({}, true);
  expect(sender.sender).toBeUndefined();
  template.resourceCountIs('AWS::IAM::User', 0);
  template.resourceCountIs('AWS::IAM::AccessKey', 0);
  template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  const roleId = stack.getLogicalId(sender.role!.node.defaultChild as iam.CfnRole);
  template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'scope', ServiceAccount: 'email', RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  template.hasResourceProperties('AWS::IAM::Policy', { Roles: [{ Ref: roleId }], PolicyDocument: { Statement: SEND_ONLY } });
  template.resourceCountIs('AWS::IAM::Policy', 1);

  const custom = build({ namespace: 'mail', serviceAccountName: 'notifier' }, true);
  custom.template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'mail', ServiceAccount: 'notifier' });
});

test('mailFromDomain: MX and SPF records in the zone', () => {
  const { template } = build({ mailFromDomain: 'mail.prod.example.com' });
  template.hasResourceProperties('AWS::SES::EmailIdentity', { MailFromAttributes: { MailFromDomain: 'mail.prod.example.com' } });
  template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'MX', Name: 'mail.prod.example.com.', ResourceRecords: ['10 feedback-smtp.eu-west-1.amazonses.com'] });
  template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'TXT', Name: 'mail.prod.example.com.', ResourceRecords: ['"v=spf1 include:amazonses.com ~all"'] });
});

test.each([
  [{ mailFromDomain: 'mail.example.org' }, false, /Invalid mailFromDomain 'mail.example.org': must be a subdomain of the zone prod.example.com/],
  [{ mailFromDomain: 'prod.example.com' }, false, /Invalid mailFromDomain 'prod.example.com'/],
  [{ userName: 'bad name' }, false, /Invalid userName 'bad name': IAM user names are 1 to 64 characters/],
  [{ keySerial: -2 }, false, /Invalid keySerial -2/],
  [{ envName: 'Prod' }, false, /Invalid envName 'Prod'/],
  [{ namespace: 'Mail' }, true, /Invalid namespace 'Mail'/],
  [{ serviceAccountName: 'email_sender' }, true, /Invalid serviceAccountName 'email_sender'/],
] as Array<[Partial<EmailSenderProps>, boolean, RegExp]>)('%j fails at synth time', (props, withCluster, message) => {
  expect(() => build(props, withCluster)).toThrow(message);
});
