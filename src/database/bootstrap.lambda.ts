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
 *   which turns deletion protection on for the instance, the load balancer and the table
 *   (Create/Update; Delete leaves it as it is; `handler/protection.ts`).
 * - It is the provider's isComplete handler too (when the provider has the step): every onEvent
 *   answer carries `IsCompleteRequest`, and the framework passes the onEvent answer's fields on to
 *   isComplete, which is how the entry point tells the two calls apart. The bootstrap is complete
 *   at once; the step when every target is protected.
 *
 * The SQL lives in `bootstrap()`, a pure function of its connection parameters, so the tests run
 * it against a real PostgreSQL server; `onEvent()` takes its secret store as a parameter for the
 * same reason. Nothing here logs or returns a secret value.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { caBundlePath } from './handler/connect';
import { BootstrapEvent, BootstrapResponse, onEvent } from './handler/events';
import { cloudWatchLogGroups } from './handler/log-groups';
import {
  awsDeletionProtectionApi, DELETION_PROTECTION_TYPE, IsCompleteResponse, isDeletionProtectionComplete, onDeletionProtectionEvent,
} from './handler/protection';
import { secretsManagerStore } from './handler/secrets';

/** Lambda entry point: secrets come from Secrets Manager, TLS is on and verified. */
export async function handler(event: BootstrapEvent & { IsCompleteRequest?: boolean }): Promise<BootstrapResponse | IsCompleteResponse> {
  const step = event.ResourceType === DELETION_PROTECTION_TYPE;
  if (event.IsCompleteRequest) {
    return step ? isDeletionProtectionComplete(event, awsDeletionProtectionApi()) : { IsComplete: true };
  }
  const response = step
    ? onDeletionProtectionEvent(event)
    : await onEvent(event, secretsManagerStore(new SecretsManagerClient({})), { ssl: { caFile: caBundlePath() } }, cloudWatchLogGroups());
  return { ...response, IsCompleteRequest: true } as BootstrapResponse;
}
