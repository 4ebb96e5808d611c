/**
 * Bootstrap of the users database, run by a CloudFormation custom resource (Provider framework,
 * onEvent only) inside the VPC. The entry point of the handler bundle; the work is in handler/:
 *
 * - Create/Update (`handler/events.ts`): creates the application role (or resets its password to
 *   the one in its secret) and the application database owned by it (or keeps the existing one
 *   untouched; `handler/sql.ts`), then writes a ready `postgres://` URL into the application secret
 *   (`handler/secrets.ts`). Delete: nothing; the database and the role outlive the custom resource,
 *   on purpose.
 * - The same function serves `Custom::UsersDatabaseDeletionProtection`, the last step of a deploy,
 *   which sets the instance's deletion protection (Create/Update; Delete leaves it as it is;
 *   `handler/protection.ts`).
 *
 * The SQL lives in `bootstrap()`, a pure function of its connection parameters, so the tests run
 * it against a real PostgreSQL server; `onEvent()` takes its secret store as a parameter for the
 * same reason. Nothing here logs or returns a secret value.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { caBundlePath } from './handler/connect';
import { BootstrapEvent, BootstrapResponse, onEvent } from './handler/events';
import { cloudWatchLogGroups } from './handler/log-groups';
import { DELETION_PROTECTION_TYPE, onDeletionProtectionEvent, rdsDeletionProtectionApi } from './handler/protection';
import { secretsManagerStore } from './handler/secrets';

/** Lambda entry point: secrets come from Secrets Manager, TLS is on and verified. */
export async function handler(event: BootstrapEvent): Promise<BootstrapResponse> {
  if (event.ResourceType === DELETION_PROTECTION_TYPE) {
    return onDeletionProtectionEvent(event, rdsDeletionProtectionApi());
  }
  return onEvent(event, secretsManagerStore(new SecretsManagerClient({})), { ssl: { caFile: caBundlePath() } }, cloudWatchLogGroups());
}
