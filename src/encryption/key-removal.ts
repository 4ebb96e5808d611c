/**
 * The environment key's removal policy: the strongest of the removal policies of the resources it
 * encrypts, so the key never goes while data it encrypts stays (internal: resolve.ts calls it).
 *
 * A KMS key cannot be snapshotted, and a final RDS snapshot of storage under the key, a retained
 * table, bucket or log group are all unreadable once the key is deleted: "Deleting an AWS KMS key
 * is destructive and potentially dangerous. It deletes the key material and all metadata
 * associated with the KMS key and is irreversible. After a KMS key is deleted, you can no longer
 * decrypt the data that was encrypted under that KMS key"
 * (https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html).
 * RetainExceptOnCreate "behaves like Retain for stack operations, except for the stack operation
 * that initially created the resource" (CloudFormation DeletionPolicy attribute,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html):
 * a key with it goes exactly when its RetainExceptOnCreate users go (a failed first deploy), and
 * stays whenever they stay.
 */
import { RemovalPolicy } from 'aws-cdk-lib';

/** One resource the key encrypts, by its resolved removal policy. */
export interface KeyUser {
  /** What it is, for messages and tests (e.g. `reports`). */
  readonly name: string;
  /** Its removal policy (on delete). */
  readonly removalPolicy: RemovalPolicy;
}

/** How long each policy keeps what the key encrypts: SNAPSHOT keeps a snapshot that needs the key forever. */
const STRENGTH: Record<string, number> = {
  [RemovalPolicy.DESTROY]: 0,
  [RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE]: 1,
  [RemovalPolicy.RETAIN]: 2,
  [RemovalPolicy.SNAPSHOT]: 2,
};

/**
 * The key's removal policy for these users: RETAIN if any user is retained (RETAIN) or leaves a
 * snapshot (SNAPSHOT); RETAIN_ON_UPDATE_OR_DELETE if the strongest is that; DESTROY (with the
 * key's 30-day pending window) when every user is destroyed with the stack, or there is none.
 */
export function keyRemovalPolicy(users: KeyUser[]): RemovalPolicy {
  const strongest = Math.max(0, ...users.map(u => STRENGTH[u.removalPolicy] ?? STRENGTH[RemovalPolicy.RETAIN]));
  if (strongest >= STRENGTH[RemovalPolicy.RETAIN]) return RemovalPolicy.RETAIN;
  return strongest === STRENGTH[RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE] ? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE : RemovalPolicy.DESTROY;
}
