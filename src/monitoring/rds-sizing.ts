/**
 * What the database alarms need to know about an RDS instance class (not exported from the package).
 */
import { Token } from 'aws-cdk-lib';

/** GiB of memory per size for the general purpose and burstable classes (m*, t*): 4 GiB per vCPU. */
const GENERAL_PURPOSE_GIB: { [size: string]: number } = {
  'micro': 1,
  'small': 2,
  'medium': 4,
  'large': 8,
  'xlarge': 16,
  '2xlarge': 32,
  '4xlarge': 64,
  '8xlarge': 128,
  '12xlarge': 192,
  '16xlarge': 256,
  '24xlarge': 384,
  '32xlarge': 512,
  '48xlarge': 768,
};

/** Memory per vCPU relative to the m classes: r* classes have twice, x* four times the memory. */
const FAMILY_FACTOR: { [family: string]: number } = { t: 1, m: 1, r: 2, x: 4 };

/**
 * Memory of an RDS instance class such as `db.t4g.micro` or `m7g.large`, in bytes; undefined when
 * the class is a token or not one of the m, t, r and x families (the alarms that need it are then skipped).
 */
export function instanceMemoryBytes(instanceClass: string | undefined): number | undefined {
  if (instanceClass === undefined || Token.isUnresolved(instanceClass)) return undefined;
  const match = /^(?:db\.)?([a-z])[a-z0-9-]*\.([a-z0-9]+)$/.exec(instanceClass);
  if (!match) return undefined;
  const [, family, size] = match;
  const gib = GENERAL_PURPOSE_GIB[size];
  const factor = FAMILY_FACTOR[family];
  if (gib === undefined || factor === undefined || (family === 't' && gib > 32)) return undefined;
  return gib * factor * 2 ** 30;
}

/**
 * RDS for PostgreSQL's default `max_connections` is LEAST({DBInstanceClassMemory/9531392}, 5000)
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.MaxConnections).
 * DBInstanceClassMemory is the class memory minus what the OS and RDS processes keep, so we
 * estimate it as 75 % of the class memory: that errs low on larger classes (where the share kept
 * is smaller), so the alarm warns early rather than late. A changed max_connections parameter is not seen.
 */
export function estimatedMaxConnections(memoryBytes: number): number {
  return Math.min(Math.floor((memoryBytes * 0.75) / 9531392), 5000);
}
