/**
 * cdk-nag AwsSolutions over the pipeline stack: no unacknowledged finding, every acknowledgement
 * made by the library on its own resource with a reason, and none stale.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagPack } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { pipelineApp } from './fixture';

function findings(pack: NagPack, scope: IConstruct): string[] {
  return pack.validateScope(scope).violations.flatMap(v => v.violatingResources.map(r => `${v.ruleName} at ${r.constructPath}`));
}

function acknowledgements(scope: IConstruct) {
  return scope.node.findAll().flatMap(c => c.node.metadata
    .filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap(m => Object.entries<string>(m.data).map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason, construct: c }))));
}

const { app, stack } = pipelineApp();
app.synth();

test('AwsSolutions: no unacknowledged finding on the pipeline stack', () => {
  expect(findings(new AwsSolutionsChecks(), app)).toEqual([]);
});

test('every acknowledgement sits on a resource, has a reason a reviewer can check, and silences a real finding', () => {
  const pack = new AwsSolutionsChecks();
  (pack as any).isAcknowledged = () => false;
  const raw = findings(pack, stack);
  const acks = acknowledgements(stack);
  expect(acks.length).toBeGreaterThan(10);
  for (const ack of acks) {
    expect({ ack: `${ack.id} at ${ack.path}`, onResource: ack.construct.node.children.length === 0 })
      .toEqual({ ack: `${ack.id} at ${ack.path}`, onResource: true });
    expect(ack.reason.length).toBeGreaterThanOrEqual(80);
    expect(raw).toContain(`${ack.id} at ${ack.path}`);
  }
});
