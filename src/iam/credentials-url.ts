/**
 * Service URLs from a service user's secret, as the old `iam` script printed them:
 * `dynamodb://KEY:SECRET@region/table`, `s3://KEY:SECRET@region/bucket`, `sqs://KEY:SECRET@region/prefix`.
 * Pure functions, used by the `scope-credentials` command. Not exported from the package index.
 */

/** The JSON a ServiceUser secret holds. */
export interface ServiceCredentials {
  /** Access key id. */
  readonly accessKeyId: string;
  /** Secret access key. */
  readonly secretAccessKey: string;
  /** Region of the table, bucket or queues. */
  readonly region: string;
  /** Reports table name (report writer and reader). */
  readonly table?: string;
  /** Reports bucket name (report writer and reader). */
  readonly bucket?: string;
  /** Control queue name prefix (queue user). */
  readonly queuePrefix?: string;
}

/** A service a URL can be built for. */
export enum CredentialService {
  /** `dynamodb://KEY:SECRET@region/table` */
  DYNAMODB = 'dynamodb',
  /** `s3://KEY:SECRET@region/bucket` */
  S3 = 's3',
  /** `sqs://KEY:SECRET@region/queuePrefix` */
  SQS = 'sqs',
}

/** A problem with the command line or with what the secret holds (the command exits with 2). */
export class CredentialsUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsUsageError';
  }
}

const SERVICE_FIELD: Array<[CredentialService, 'table' | 'bucket' | 'queuePrefix']> = [
  [CredentialService.DYNAMODB, 'table'],
  [CredentialService.S3, 'bucket'],
  [CredentialService.SQS, 'queuePrefix'],
];

/** Parses and checks the secret's JSON. Error messages never quote the secret. */
export function parseCredentials(secretString: string): ServiceCredentials {
  let value: unknown;
  try {
    value = JSON.parse(secretString);
  } catch {
    throw new CredentialsUsageError('the secret is not JSON; expected the secret of a ScopeServiceUsers user');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CredentialsUsageError('the secret is not a JSON object; expected the secret of a ScopeServiceUsers user');
  }
  const record = value as Record<string, unknown>;
  for (const field of ['accessKeyId', 'secretAccessKey', 'region']) {
    if (typeof record[field] !== 'string' || record[field] === '') {
      throw new CredentialsUsageError(`the secret has no '${field}'; expected the secret of a ScopeServiceUsers user`);
    }
  }
  return record as unknown as ServiceCredentials;
}

/** The services this secret can build URLs for, in the order dynamodb, s3, sqs. */
export function servicesOf(credentials: ServiceCredentials): CredentialService[] {
  return SERVICE_FIELD.filter(([, field]) => typeof credentials[field] === 'string' && credentials[field] !== '').map(([service]) => service);
}

/**
 * Picks the service: the requested one (checked against what the secret holds), or the only one
 * the secret holds. A report writer/reader secret holds both a table and a bucket, so it needs a
 * requested service.
 */
export function chooseService(credentials: ServiceCredentials, requested?: string): CredentialService {
  const held = servicesOf(credentials);
  if (requested !== undefined) {
    const service = parseService(requested);
    if (!held.includes(service)) {
      throw new CredentialsUsageError(`this secret has no ${service} resource; it serves: ${held.join(', ') || 'nothing'}`);
    }
    return service;
  }
  if (held.length === 1) return held[0];
  if (held.length === 0) {
    throw new CredentialsUsageError('the secret holds no table, bucket or queuePrefix, so there is no service URL to build');
  }
  throw new CredentialsUsageError(`this secret serves ${held.join(' and ')}: choose one with --service ${held.join('|')}`);
}

/** Checks a --service value. */
export function parseService(value: string): CredentialService {
  const service = Object.values(CredentialService).find(s => s === value);
  if (!service) {
    throw new CredentialsUsageError(`invalid --service '${value}': must be one of ${Object.values(CredentialService).join(', ')}`);
  }
  return service;
}

/**
 * `<service>://KEY:SECRET@<region>/<table|bucket|queuePrefix>` with every part after the scheme
 * except the region percent-encoded (encodeURIComponent), so `/`, `+`, `:`, `@` and `%` in keys are safe.
 */
export function serviceUrl(credentials: ServiceCredentials, service: CredentialService): string {
  const field = SERVICE_FIELD.find(([s]) => s === service)?.[1];
  const target = field ? credentials[field] : undefined;
  if (!target) {
    throw new CredentialsUsageError(`this secret has no ${service} resource; it serves: ${servicesOf(credentials).join(', ') || 'nothing'}`);
  }
  const enc = encodeURIComponent;
  return `${service}://${enc(credentials.accessKeyId)}:${enc(credentials.secretAccessKey)}@${credentials.region}/${enc(target)}`;
}
