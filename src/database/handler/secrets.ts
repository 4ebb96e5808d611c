/**
 * The secrets the bootstrap reads and writes: a store interface (Secrets Manager in Lambda, a map
 * in tests), JSON parsing that never echoes a secret, and the application secret's content.
 * Error messages name the secret, never its content.
 */
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Reads and writes JSON secrets (Secrets Manager in Lambda, a map in tests). */
export interface SecretStore {
  getJson(secretId: string): Promise<Record<string, unknown>>;
  putJson(secretId: string, value: Record<string, unknown>): Promise<void>;
}

/** A SecretStore on Secrets Manager. Error messages name the secret, never its content. */
export function secretsManagerStore(client: SecretsManagerClient): SecretStore {
  return {
    async getJson(secretId) {
      const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      return parseSecretJson(secretId, result.SecretString);
    },
    async putJson(secretId, value) {
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(value) }));
    },
  };
}

/** Parses a secret string as a JSON object without ever echoing it (JSON.parse errors quote the input). */
export function parseSecretJson(secretId: string, text: string | undefined): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw new Error(`Secret ${secretId} does not hold a JSON object.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`Secret ${secretId} does not hold a JSON object.`);
  }
  return value as Record<string, unknown>;
}

/** A non-empty string field of a secret; the error names the secret's role, never a value. */
export function secretField(secret: Record<string, unknown>, field: string, which: string): string {
  const value = secret[field];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`The ${which} secret has no '${field}' field.`);
  }
  return value;
}

/**
 * The URLs services read from the application secret; user, password, database and CA path are URL-encoded.
 * - `url` (sslmode=require): Go's lib/pq (the Scope users service) encrypts and does not verify.
 *   node-postgres 8 treats `require` as verify-full against Node's default CAs, which lack the RDS roots:
 *   node clients use `urlVerifyFull` (or libpq's `uselibpqcompat=true`).
 * - `urlVerifyFull` (sslmode=verify-full, sslrootcert=`caBundle`): libpq, lib/pq, pgx and node-postgres
 *   verify the certificate chain against the RDS CA bundle at `caBundle` in the client and the host name.
 */
export function connectionUrl(username: string, password: string, host: string, port: number, databaseName: string,
  verifyFullCaBundle?: string): string {
  const enc = encodeURIComponent;
  const query = verifyFullCaBundle === undefined ? 'sslmode=require' : `sslmode=verify-full&sslrootcert=${enc(verifyFullCaBundle)}`;
  return `postgres://${enc(username)}:${enc(password)}@${host}:${port}/${enc(databaseName)}?${query}`;
}
