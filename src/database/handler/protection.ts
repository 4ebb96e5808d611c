/**
 * The deletion protection step (`Custom::UsersDatabaseDeletionProtection`), the last step of a
 * deploy: sets the instance's deletion protection on Create/Update; Delete leaves it as it is.
 */
import { messageOf } from './errors';
import { BootstrapEvent, BootstrapResponse, requiredString } from './events';

/** Resource type of the deletion protection step. */
export const DELETION_PROTECTION_TYPE = 'Custom::UsersDatabaseDeletionProtection';

/** Sets an RDS instance's deletion protection (the RDS API in Lambda, an in-memory instance in tests). */
export interface DeletionProtectionApi {
  setDeletionProtection(dbInstanceIdentifier: string, enabled: boolean): Promise<void>;
}

/** How long the step waits between attempts while the instance is busy (e.g. its first backup). */
export interface RetryOptions {
  /** @default 6 */
  readonly attempts?: number;
  /** @default 15000 */
  readonly delayMillis?: number;
}

/**
 * Handles the deletion protection step: Create/Update set `DeletionProtection` on the instance
 * (retrying while RDS reports the instance in a state that refuses modifications); Delete leaves
 * the protection as it is (turn it off with a deploy that sets `deletionProtection: false`).
 */
export async function onDeletionProtectionEvent(event: BootstrapEvent, rds: DeletionProtectionApi,
  retry: RetryOptions = {}): Promise<BootstrapResponse> {
  const props = event.ResourceProperties;
  const id = requiredString(props, 'DBInstanceIdentifier');
  const enabled = String(props.DeletionProtection) === 'true';
  const physicalResourceId = `${id}/deletion-protection`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId ?? physicalResourceId };

  const attempts = retry.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      await rds.setDeletionProtection(id, enabled);
      return { PhysicalResourceId: physicalResourceId, Data: { DeletionProtection: String(enabled) } };
    } catch (e) {
      // InvalidDBInstanceStateFault: e.g. the first automated backup is still running.
      if (attempt >= attempts || !/InvalidDBInstanceState/.test(`${(e as Error).name} ${messageOf(e)}`)) {
        throw new Error(`Cannot set deletion protection of DB instance ${id} to ${enabled}: ${messageOf(e)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, retry.delayMillis ?? 15_000));
    }
  }
}

/**
 * The RDS API from the AWS SDK for JavaScript v3 that the Lambda Node.js runtime includes (the
 * bundle leaves `@aws-sdk/*` external, so the package needs no RDS client dependency).
 */
export function rdsDeletionProtectionApi(): DeletionProtectionApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RDSClient, ModifyDBInstanceCommand } = require('@aws-sdk/client-rds');
  const client = new RDSClient({});
  return {
    async setDeletionProtection(dbInstanceIdentifier, enabled) {
      const request = { DBInstanceIdentifier: dbInstanceIdentifier, DeletionProtection: enabled, ApplyImmediately: true };
      await client.send(new ModifyDBInstanceCommand(request));
    },
  };
}
