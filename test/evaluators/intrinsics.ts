/**
 * Replaces CloudFormation intrinsics in a synthesized template with concrete strings, so that an
 * evaluator sees real ARNs and names instead of `{ Ref }` / `{ Fn::GetAtt }` objects.
 *
 * Physical names are the ones the template gives (TableName, BucketName, RoleName, ...) or, when
 * CloudFormation would generate one, a stable name made from the logical ID. The ARN formats
 * follow each service's ARN (the "Resource types" table of its Service Authorization Reference).
 */

/** Where the stack is deployed. */
export interface StackEnv {
  readonly account: string;
  readonly region: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** @default 'stack' */
  readonly stackName?: string;
}

/** Marker for `{ Ref: AWS::NoValue }`: removed from the arrays and objects that hold it. */
const NO_VALUE = Symbol('AWS::NoValue');

/** The property holding a resource type's physical name, when the template may set it. */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Policy': 'PolicyName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::EKS::Cluster': 'Name',
  'AWS::RDS::DBInstance': 'DBInstanceIdentifier',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'Name',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'Name',
};

/** Resolves the intrinsics of one template for one account and region. */
export class TemplateResolver {
  public readonly partition: string;
  public readonly account: string;
  public readonly region: string;
  public readonly stackName: string;
  private readonly resources: Record<string, any>;

  constructor(public readonly template: any, env: StackEnv) {
    this.partition = env.partition ?? 'aws';
    this.account = env.account;
    this.region = env.region;
    this.stackName = env.stackName ?? 'stack';
    this.resources = template.Resources ?? {};
  }

  /** `value` with every intrinsic replaced by a concrete value. */
  public resolve(value: any): any {
    const out = this.resolveValue(value);
    return out === NO_VALUE ? undefined : out;
  }

  /** What `{ Ref: logicalId }` returns. */
  public ref(logicalId: string): any {
    const pseudo = this.pseudo(logicalId);
    if (pseudo !== undefined) return pseudo;
    const param = this.template.Parameters?.[logicalId];
    if (param) return param.Default ?? `parameter-${logicalId}`;
    const type = this.typeOf(logicalId);
    const name = this.physicalName(logicalId);
    switch (type) {
      case 'AWS::IAM::ManagedPolicy': return `arn:${this.partition}:iam::${this.account}:policy/${name}`;
      case 'AWS::SQS::Queue': return `https://sqs.${this.region}.amazonaws.com/${this.account}/${name}`;
      case 'AWS::SNS::Topic': return this.arn('sns', name);
      case 'AWS::KMS::Key': return this.keyId(logicalId);
      case 'AWS::SecretsManager::Secret': return this.arn('secretsmanager', `secret:${name}-AbCdEf`);
      case 'AWS::Route53::HostedZone': return `Z${logicalId.toUpperCase().slice(0, 20)}`;
      // Ref of an ELBv2 target group or load balancer is its ARN (name/ID as in the ELB ARN format)
      case 'AWS::ElasticLoadBalancingV2::TargetGroup': return this.arn('elasticloadbalancing', `targetgroup/${name}/0123456789abcdef`);
      case 'AWS::ElasticLoadBalancingV2::LoadBalancer': return this.arn('elasticloadbalancing', `loadbalancer/app/${name}/0123456789abcdef`);
      default: return name;
    }
  }

  /** What `{ Fn::GetAtt: [logicalId, attribute] }` returns. */
  public getAtt(logicalId: string, attribute: string): any {
    const type = this.typeOf(logicalId);
    const name = this.physicalName(logicalId);
    if (attribute === 'MasterUserSecret.SecretArn') return this.arn('secretsmanager', `secret:rds!db-${logicalId.toLowerCase()}-AbCdEf`);
    if (attribute !== 'Arn') {
      if (['QueueName', 'TopicName', 'KeyId', 'TopicArn', 'QueueUrl', 'Id'].includes(attribute)) {
        return attribute === 'KeyId' ? this.keyId(logicalId)
          : attribute === 'TopicArn' || attribute === 'QueueUrl' || attribute === 'Id' ? this.ref(logicalId) : name;
      }
      return `${logicalId}.${attribute}`;
    }
    switch (type) {
      case 'AWS::IAM::Role': return `arn:${this.partition}:iam::${this.account}:role/${name}`;
      case 'AWS::IAM::User': return `arn:${this.partition}:iam::${this.account}:user/${name}`;
      case 'AWS::IAM::Group': return `arn:${this.partition}:iam::${this.account}:group/${name}`;
      case 'AWS::DynamoDB::Table': return this.arn('dynamodb', `table/${name}`);
      case 'AWS::S3::Bucket': return `arn:${this.partition}:s3:::${name}`;
      case 'AWS::SQS::Queue': return this.arn('sqs', name);
      case 'AWS::SNS::Topic': return this.arn('sns', name);
      case 'AWS::KMS::Key': return this.arn('kms', `key/${this.keyId(logicalId)}`);
      case 'AWS::Lambda::Function': return this.arn('lambda', `function:${name}`);
      case 'AWS::Logs::LogGroup': return this.arn('logs', `log-group:${name}:*`);
      case 'AWS::EKS::Cluster': return this.arn('eks', `cluster/${name}`);
      case 'AWS::RDS::DBInstance': return this.arn('rds', `db:${name}`);
      case 'AWS::CloudWatch::Alarm': return this.arn('cloudwatch', `alarm:${name}`);
      case 'AWS::SecretsManager::Secret': return this.ref(logicalId);
      default: {
        const [, service, kind] = (type ?? 'AWS::Unknown::Thing').split('::');
        return this.arn(service.toLowerCase(), `${kind.toLowerCase()}/${name}`);
      }
    }
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
  public arn(service: string, resource: string): string {
    return `arn:${this.partition}:${service}:${this.region}:${this.account}:${resource}`;
  }

  /** The physical name of a resource: its name property, or one made from the logical ID. */
  public physicalName(logicalId: string): string {
    const resource = this.resources[logicalId];
    if (!resource) throw new Error(`No resource or parameter ${logicalId} in the template`);
    const prop = NAME_PROPERTY[resource.Type];
    const given = prop ? this.resolve(resource.Properties?.[prop]) : undefined;
    if (typeof given === 'string') return given;
    const generated = `${this.stackName}-${logicalId}`;
    return resource.Type === 'AWS::S3::Bucket' || resource.Type === 'AWS::RDS::DBInstance' ? generated.toLowerCase() : generated;
  }

  /** The resource type of a logical ID (undefined for a parameter or pseudo parameter). */
  public typeOf(logicalId: string): string | undefined {
    return this.resources[logicalId]?.Type;
  }

  private keyId(logicalId: string): string {
    const hex = Buffer.from(logicalId).toString('hex').padEnd(32, '0').slice(0, 32);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  }

  private pseudo(name: string): any {
    switch (name) {
      case 'AWS::Partition': return this.partition;
      case 'AWS::AccountId': return this.account;
      case 'AWS::Region': return this.region;
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return this.stackName;
      case 'AWS::StackId': return this.arn('cloudformation', `stack/${this.stackName}/00000000-0000-0000-0000-000000000000`);
      case 'AWS::NoValue': return NO_VALUE;
      default: return undefined;
    }
  }

  private resolveValue(value: any): any {
    if (Array.isArray(value)) return value.map(v => this.resolveValue(v)).filter(v => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      return this.intrinsic(keys[0], value[keys[0]]);
    }
    const out: Record<string, any> = {};
    for (const key of keys) {
      const v = this.resolveValue(value[key]);
      if (v !== NO_VALUE) out[key] = v;
    }
    return out;
  }

  private intrinsic(fn: string, arg: any): any {
    switch (fn) {
      case 'Ref': return this.ref(arg);
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg) ? arg : String(arg).split(/\.(.+)/);
        return this.getAtt(id, attr);
      }
      case 'Fn::Join': return this.resolveValue(arg[1]).join(arg[0]);
      case 'Fn::Sub': return this.sub(arg);
      case 'Fn::Select': return this.resolveValue(arg[1])[Number(this.resolveValue(arg[0]))];
      case 'Fn::Split': return String(this.resolveValue(arg[1])).split(arg[0]);
      case 'Fn::If': return this.resolveValue(this.condition(arg[0]) ? arg[1] : arg[2]);
      case 'Fn::Equals': return JSON.stringify(this.resolveValue(arg[0])) === JSON.stringify(this.resolveValue(arg[1]));
      case 'Fn::Not': return !this.resolveValue(arg[0]);
      case 'Fn::And': return arg.every((c: any) => this.resolveValue(c));
      case 'Fn::Or': return arg.some((c: any) => this.resolveValue(c));
      case 'Condition': return this.condition(arg);
      case 'Fn::GetAZs': return ['a', 'b', 'c'].map(z => `${this.region}${z}`);
      case 'Fn::Base64': return this.resolveValue(arg);
      case 'Fn::ImportValue': return `imported-${this.resolveValue(arg)}`;
      case 'Fn::FindInMap': {
        const [map, top, second] = this.resolveValue(arg);
        return this.template.Mappings[map][top][second];
      }
      default: throw new Error(`Intrinsic ${fn} is not supported by the test resolver`);
    }
  }

  private condition(name: string): boolean {
    const expr = this.template.Conditions?.[name];
    if (expr === undefined) throw new Error(`No condition ${name} in the template`);
    return Boolean(this.resolveValue(expr));
  }

  private sub(arg: any): string {
    const [text, vars] = Array.isArray(arg) ? [arg[0], this.resolveValue(arg[1] ?? {})] : [arg, {}];
    return String(text).replace(/\$\{([^}]+)\}/g, (whole: string, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      if (inner in vars) return String(vars[inner]);
      const dot = inner.indexOf('.');
      if (dot > 0 && !inner.startsWith('AWS::')) return String(this.getAtt(inner.slice(0, dot), inner.slice(dot + 1)));
      const resolved = this.ref(inner);
      if (resolved === undefined || resolved === NO_VALUE) throw new Error(`Cannot resolve ${whole}`);
      return String(resolved);
    });
  }
}
