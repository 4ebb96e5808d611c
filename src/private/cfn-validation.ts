/**
 * CloudFormation validation rules that a template of aws-cdk-lib breaks by design, acknowledged
 * where the installed aws-cdk-lib knows them.
 */
import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One acknowledgement of a CloudFormation validation rule (`Validations.acknowledge`, aws-cdk-lib 2.27x). */
interface ValidationAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/**
 * Acknowledges CloudFormation validation rule `id` (e.g. `CloudFormation-Validate::W9009`) on
 * `scope` with `reason`. Newer aws-cdk-lib releases validate every template at synth time with the
 * CloudFormation validation engine (CloudFormationValidatePlugin) and offer
 * `Validations.of(scope).acknowledge(...)`; the peer minimum (2.257) has neither, so the call is
 * made only when the installed aws-cdk-lib has it.
 */
export function acknowledgeValidation(scope: IConstruct, acknowledgement: ValidationAcknowledgement): void {
  const validations = (cdk as unknown as Record<string, unknown>).Validations as
    { of(s: IConstruct): { acknowledge(...rules: ValidationAcknowledgement[]): void } } | undefined;
  validations?.of(scope).acknowledge(acknowledgement);
}
