import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { IServiceAccountRoleProvider, ServiceUser } from './service-user';
import { defaultEnvName, PropError, validateEnvName, validatePattern } from '../private/validate';

/** Props of EmailSender. */
export interface EmailSenderProps {
  /** The environment's public zone; its domain is verified in SES and the DKIM records go into it. */
  readonly zone: route53.IPublicHostedZone;

  /**
   * Custom MAIL FROM domain, a subdomain of the zone (e.g. `mail.prod.example.com`); its MX and SPF
   * records go into the zone.
   * @default - SES's own MAIL FROM domain (amazonses.com)
   */
  readonly mailFromDomain?: string;

  /**
   * Environment name; the default user name starts with it.
   * @default - derived from the stack name
   */
  readonly envName?: string;

  /**
   * Give the sending service a keyless Pod Identity role bound by this cluster instead of an IAM user with a key.
   * @default - an IAM user with an access key in Secrets Manager
   */
  readonly cluster?: IServiceAccountRoleProvider;

  /**
   * Kubernetes namespace of the sending service's service account (with `cluster`).
   * @default 'scope'
   */
  readonly namespace?: string;

  /**
   * Kubernetes service account of the sending service (with `cluster`).
   * @default 'email'
   */
  readonly serviceAccountName?: string;

  /**
   * Physical name of the IAM user (without `cluster`).
   * @default `<envName>_email_sender`
   */
  readonly userName?: string;

  /**
   * Serial of the user's access key; bump it (it may only grow) to rotate the key.
   * @default 0
   */
  readonly keySerial?: number;
}

/**
 * Lets the environment send email through SES (replaces the SendGrid setup): verifies the zone's
 * domain in SES with Easy DKIM (the DKIM CNAMEs are written into the zone) and creates the sender,
 * allowed only ses:SendEmail and ses:SendRawEmail on that identity: a Pod Identity role when a
 * `cluster` is given, otherwise an IAM user in its own group with its access key in Secrets Manager
 * (JSON: accessKeyId, secretAccessKey, region, domain).
 *
 * New AWS accounts are in the SES sandbox (verified recipients only) until production access is granted.
 */
export class EmailSender extends Construct {
  /** The SES domain identity. */
  public readonly identity: ses.EmailIdentity;
  /** The IAM user with its group and secret; undefined when a `cluster` was given. */
  public readonly sender?: ServiceUser;
  /** The Pod Identity role; undefined unless a `cluster` was given. */
  public readonly role?: iam.IRole;
  /** Environment name. */
  public readonly envName: string;

  constructor(scope: Construct, id: string, props: EmailSenderProps) {
    super(scope, id);
    validateEnvName(props.envName);
    this.envName = props.envName ?? defaultEnvName(Stack.of(this).stackName);
    const domain = props.zone.zoneName;
    validateMailFrom(props.mailFromDomain, domain);

    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.publicHostedZone(props.zone),
      mailFromDomain: props.mailFromDomain,
    });

    if (props.cluster) {
      const namespace = props.namespace ?? 'scope';
      const serviceAccount = props.serviceAccountName ?? 'email';
      const k8sName = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
      const k8sAllowed = 'Kubernetes names are 1 to 63 characters of a-z, 0-9 and -, starting and ending with a letter or digit';
      validatePattern('namespace', namespace, k8sName, k8sAllowed);
      validatePattern('serviceAccountName', serviceAccount, k8sName, k8sAllowed);
      this.role = props.cluster.serviceAccountRole(namespace, serviceAccount);
      this.identity.grantSendEmail(this.role);
    } else {
      this.sender = new ServiceUser(this, 'Sender', {
        userName: props.userName ?? `${this.envName}_email_sender`,
        userNameProp: props.userName === undefined ? 'envName' : 'userName',
        keySerial: props.keySerial,
        secretFields: { domain },
      });
      this.identity.grantSendEmail(this.sender.group);
    }
  }
}

function validateMailFrom(mailFromDomain: string | undefined, domain: string): void {
  if (mailFromDomain === undefined || Token.isUnresolved(mailFromDomain) || Token.isUnresolved(domain)) return;
  const zone = domain.replace(/\.$/, '');
  if (!mailFromDomain.endsWith(`.${zone}`)) {
    throw new PropError(`Invalid mailFromDomain '${mailFromDomain}': must be a subdomain of the zone ${zone}, e.g. mail.${zone}.`);
  }
}
