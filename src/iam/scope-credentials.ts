/**
 * `scope-credentials --secret <arn-or-name> [--service dynamodb|s3|sqs] [--region <region>]`
 *
 * Reads a ScopeServiceUsers secret (Secrets Manager GetSecretValue, with the usual AWS credential
 * chain) and prints the service URL, e.g. `sqs://KEY:SECRET@eu-west-1/prod_control_`, on stdout.
 * Only the URL goes to stdout; errors go to stderr and never quote the secret.
 * Exit codes: 0 ok, 1 the secret could not be read, 2 bad arguments or a secret without that service.
 *
 * Bundled with esbuild into assets/scope-credentials/index.js (the package's `bin`).
 * Not exported from the package index.
 */
// The SDK is bundled into the command by esbuild (assets/), so it is a devDependency on purpose.
// eslint-disable-next-line import/no-extraneous-dependencies
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { chooseService, CredentialsUsageError, parseCredentials, parseService, serviceUrl } from './credentials-url';

const USAGE = 'usage: scope-credentials --secret <arn-or-name> [--service dynamodb|s3|sqs] [--region <region>]';

/** Parsed command line. */
export interface CliArguments {
  /** Secret ARN or name. */
  readonly secret: string;
  /** Requested service. */
  readonly service?: string;
  /** Region of the secret. */
  readonly region?: string;
  /** --help was given. */
  readonly help?: boolean;
}

/** Parses `--secret x`, `--secret=x`, `--service`, `--region` and `--help`. */
export function parseArguments(argv: string[]): CliArguments {
  const values: Record<string, string> = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    const match = /^--(secret|service|region)(?:=(.*))?$/.exec(arg);
    if (!match) throw new CredentialsUsageError(`unknown argument '${arg}'`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new CredentialsUsageError(`--${match[1]} needs a value`);
    values[match[1]] = value;
  }
  if (help) return { secret: '', help };
  if (!values.secret) throw new CredentialsUsageError('--secret is required');
  return { secret: values.secret, service: values.service, region: values.region };
}

/** The region inside a secret ARN (`arn:aws:secretsmanager:<region>:...`), if it is one. */
function regionOfArn(secret: string): string | undefined {
  return /^arn:[^:]+:secretsmanager:([^:]+):/.exec(secret)?.[1];
}

/** Runs the command; resolves to the exit code. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  let args: CliArguments;
  try {
    args = parseArguments(argv);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.service !== undefined) parseService(args.service);
  } catch (e) {
    return fail(e);
  }

  let secretString: string | undefined;
  try {
    const client = new SecretsManagerClient({ region: args.region ?? regionOfArn(args.secret) });
    const response = await client.send(new GetSecretValueCommand({ SecretId: args.secret }));
    secretString = response.SecretString;
  } catch (e) {
    const error = e as Error;
    process.stderr.write(`scope-credentials: cannot read secret '${args.secret}': ${error.name}: ${error.message}\n`);
    return 1;
  }
  if (secretString === undefined) {
    process.stderr.write(`scope-credentials: secret '${args.secret}' has no string value\n`);
    return 1;
  }

  try {
    const credentials = parseCredentials(secretString);
    process.stdout.write(`${serviceUrl(credentials, chooseService(credentials, args.service))}\n`);
    return 0;
  } catch (e) {
    return fail(e);
  }
}

function fail(e: unknown): number {
  if (e instanceof CredentialsUsageError) {
    process.stderr.write(`scope-credentials: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  throw e;
}

if (require.main === module) {
  main().then(code => { process.exitCode = code; }, (e: Error) => {
    process.stderr.write(`scope-credentials: ${e.name}: ${e.message}\n`);
    process.exitCode = 1;
  });
}
