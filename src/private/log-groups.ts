/**
 * Log groups that aws-cdk-lib creates inside constructs it owns (the kubectl handler and provider
 * framework of aws-eks-v2), which take no log group option: settled by type at synth time, so a
 * feature flag (e.g. `@aws-cdk/aws-lambda:useCdkManagedLogGroup`, which `cdk init` turns on and
 * which gives each function a log group that is retained, kept 731 days and not encrypted) cannot
 * change what the library promises.
 */
import { Aspects, IAspect, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';

/** What every log group under a scope gets. */
export interface LogGroupSettings {
  /** How long the logs are kept. */
  readonly retention: logs.RetentionDays;
  /** The key the logs are encrypted with (its policy must admit CloudWatch Logs: private/kms.ts); none leaves the service key. */
  readonly encryptionKey?: kms.IKey;
  /** What `cdk destroy` (or a replacement) does with the log group. */
  readonly removalPolicy: RemovalPolicy;
}

/** Sets retention, key and removal policy on each CloudFormation log group it visits. */
class SettleLogGroups implements IAspect {
  constructor(private readonly settings: LogGroupSettings) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof logs.CfnLogGroup)) return;
    node.retentionInDays = this.settings.retention;
    if (this.settings.encryptionKey) node.kmsKeyId = this.settings.encryptionKey.keyArn;
    node.applyRemovalPolicy(this.settings.removalPolicy);
  }
}

/**
 * Every log group in `scope` (whichever construct or feature flag created it, found by type at
 * synth time) gets `settings`. For constructs of aws-cdk-lib that take no log group option.
 */
export function settleLogGroups(scope: IConstruct, settings: LogGroupSettings): void {
  Aspects.of(scope).add(new SettleLogGroups(settings));
}

/**
 * Gives `fn` a log group the template states (child `LogGroup`, the id the
 * `@aws-cdk/aws-lambda:useCdkManagedLogGroup` flag uses), so its logs expire, use the key and go
 * with the stack whether or not the app sets the flag. With the flag the child exists already,
 * named `/aws/lambda/<function>` (Lambda's default); without it the group gets a generated name and
 * the function sends its logs there through `LoggingConfig.LogGroup` ("The name of the Amazon
 * CloudWatch log group the function sends logs to. By default ... /aws/lambda/<function name>",
 * Update requires: No interruption:
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-loggingconfig.html).
 * A generated name, not `/aws/lambda/<function>`: an environment deployed before has that group
 * already (Lambda created it on the first run), and creating it again would fail the update.
 * The settings themselves come from `settleLogGroups` on a scope that holds `fn`.
 */
export function stateFunctionLogGroup(fn: lambda.Function, settings: LogGroupSettings): void {
  if (fn.node.children.some(child => child instanceof logs.LogGroup)) return;
  const group = new logs.LogGroup(fn, 'LogGroup', {
    retention: settings.retention,
    encryptionKey: settings.encryptionKey,
    removalPolicy: settings.removalPolicy,
  });
  // merged into what the function sets itself (the provider framework: ApplicationLogLevel, LogFormat)
  (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('LoggingConfig.LogGroup', group.logGroupName);
}
