/**
 * The provider framework's waiter state machine (it polls the isComplete handler of the deletion
 * protection step) with execution logging and X-Ray tracing, as AWS Control Tower's
 * CT.STEPFUNCTIONS.PR.1 (logging at ERROR or ALL into a log group) and CT.STEPFUNCTIONS.PR.2
 * (`TracingConfiguration.Enabled`) ask. aws-cdk-lib's `Provider` sets logging from its props;
 * tracing has no prop, so it is set on the L1 state machine and its role may write traces.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';

/** The Provider props of the waiter's logging. */
type WaiterLogging = Pick<cr.ProviderProps, 'disableWaiterStateMachineLogging' | 'waiterStateMachineLogOptions'>;

/**
 * Provider props that make the waiter log every execution event (cdk-nag AwsSolutions-SF1 asks for
 * ALL), without the execution data (the custom resource event), into `logGroup`, the provider's own
 * log group. The waiter runs a few times per deploy that creates or updates the step.
 */
export function waiterLogging(logGroup: logs.ILogGroup): WaiterLogging {
  return {
    disableWaiterStateMachineLogging: false,
    waiterStateMachineLogOptions: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  };
}

/**
 * The X-Ray actions a state machine role needs for tracing; they take no resource ARN
 * ("Step Functions ... X-Ray IAM policies": https://docs.aws.amazon.com/step-functions/latest/dg/xray-iam.html).
 */
export const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'];

/** Turns on X-Ray tracing of the provider's waiter state machine, if it has one, and lets its role write traces. */
export function traceWaiter(provider: cr.Provider): void {
  const machine = provider.node.findAll().find((c): c is sfn.CfnStateMachine => c instanceof sfn.CfnStateMachine);
  if (!machine) return;
  machine.tracingConfiguration = { enabled: true };
  const role = machine.node.scope!.node.findAll().find((c): c is iam.Role => c instanceof iam.Role)!;
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: XRAY_ACTIONS, resources: ['*'] }));
}
