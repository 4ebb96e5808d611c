/**
 * `scope-credentials --secret <arn-or-name> [--service dynamodb|s3|sqs] [--region <region>] [--format url|env]`
 *
 * Reads a ScopeServiceUsers secret (Secrets Manager GetSecretValue, with the usual AWS credential
 * chain) and prints the service URL, e.g. `sqs://KEY:SECRET@eu-west-1/prod_control_`, on stdout,
 * or `KEY=url` lines (`--format env`). Only that goes to stdout; errors go to stderr and never
 * quote the secret. Exit codes: 0 ok, 1 the secret could not be read, 2 bad arguments, no region,
 * or a secret without that service.
 *
 * Bundled with esbuild into assets/iam/scope-credentials/index.js (the package's `bin`).
 * Not exported from the package index.
 */
// The SDK is bundled into the command by esbuild (assets/), so it is a devDependency on purpose.
// eslint-disable-next-line import/no-extraneous-dependencies
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { chooseService, CredentialService, CredentialsUsageError, parseCredentials, parseService, ServiceCredentials, serviceUrl, servicesOf } from './credentials-url';
import { packageVersion } from '../private/package-version';

const USAGE = 'usage: scope-credentials --secret <arn-or-name> [--service dynamodb|s3|sqs] [--region <region>] [--format url|env]';

const HELP = `${USAGE}

Prints the service URL of a cdk-scope-environment service user from its Secrets Manager secret
(the stack outputs ...ReportWriterSecretArn, ...ReportReaderSecretArn, ...QueueReadWriterSecretArn
name them), with the key and secret URL-encoded, as the old \`iam\` script printed them:
  dynamodb://KEY:SECRET@<region>/<table>   s3://KEY:SECRET@<region>/<bucket>   sqs://KEY:SECRET@<region>/<queue prefix>

Options:
  --secret <arn-or-name>  the user's secret (ARN or name); required
  --service <service>     dynamodb, s3 or sqs; required when the secret serves two (writer, reader)
  --region <region>       region of the secret (default: the region in the ARN, else AWS_REGION / your profile)
  --format url|env        url (default): the URL alone; env: KEY=url lines (DYNAMODB_URL, S3_URL, SQS_URL),
                          every service of the secret unless --service, for a .env file or
                          \`kubectl create secret generic <name> --from-env-file=<file>\`
  -h, --help              this help
  -V, --version           the package version

Examples:
  npx scope-credentials --secret arn:aws:secretsmanager:eu-west-1:111111111111:secret:dev-queue-AbCdEf
  npx scope-credentials --secret <writer secret arn> --service s3
  npx scope-credentials --secret <writer secret arn> --format env > writer.env
  kubectl create secret generic report-writer --from-env-file=writer.env

AWS credentials come from the usual chain (AWS_PROFILE, SSO, environment, instance role). They
need secretsmanager:GetSecretValue on the secret, and kms:Decrypt on its key when the environment
uses a customer managed key (encryptionKey).

Exit codes:
  0  printed
  1  the secret could not be read (not found, access denied, no credentials, network)
  2  bad arguments, no region, or the secret does not serve the requested service
`;

/** Parsed command line. */
export interface CliArguments {
  /** Secret ARN or name. */
  readonly secret: string;
  /** Requested service. */
  readonly service?: string;
  /** Region of the secret. */
  readonly region?: string;
  /** Output format: `url` (default) or `env`. */
  readonly format?: string;
  /** --help was given. */
  readonly help?: boolean;
  /** --version was given. */
  readonly version?: boolean;
}

/** Parses `--secret x`, `--secret=x`, `--service`, `--region`, `--format`, `--help` and `--version`. */
export function parseArguments(argv: string[]): CliArguments {
  const values: Record<string, string> = {};
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg === '-V' || arg === '--version') {
      version = true;
      continue;
    }
    const match = /^--(secret|service|region|format)(?:=(.*))?$/.exec(arg);
    if (!match) throw new CredentialsUsageError(`unknown argument '${arg}'`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new CredentialsUsageError(`--${match[1]} needs a value`);
    values[match[1]] = value;
  }
  if (help) return { secret: '', help };
  if (version) return { secret: '', version };
  if (!values.secret) throw new CredentialsUsageError('--secret is required');
  if (values.format !== undefined && !['url', 'env'].includes(values.format)) {
    throw new CredentialsUsageError(`invalid --format '${values.format}': must be url or env`);
  }
  return { secret: values.secret, service: values.service, region: values.region, format: values.format };
}

/** `KEY=url` lines, one per service (the requested one, or every service the secret serves). */
export function envLines(credentials: ServiceCredentials, requested?: string): string {
  const services: CredentialService[] = requested === undefined ? servicesOf(credentials) : [chooseService(credentials, requested)];
  if (services.length === 0) chooseService(credentials); // throws the "serves nothing" error
  return services.map(service => `${service.toUpperCase()}_URL=${serviceUrl(credentials, service)}\n`).join('');
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
      process.stdout.write(HELP);
      return 0;
    }
    if (args.version) {
      process.stdout.write(`${packageVersion(__dirname)}\n`);
      return 0;
    }
    if (args.service !== undefined) parseService(args.service);
  } catch (e) {
    return fail(e);
  }

  // The bundled SDK's notice that its future releases need Node.js 22 is about the SDK's own
  // updates, which this command ships with; it would put 9 lines on stderr of every call.
  // Documented switch: https://github.com/aws/aws-sdk-js-v3/issues/7983
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new SecretsManagerClient({ region: args.region ?? regionOfArn(args.secret) });
  try {
    await client.config.region();
  } catch {
    process.stderr.write('scope-credentials: no AWS region: pass --region <region>, give the secret\'s full ARN '
      + '(it contains the region), or set AWS_REGION (or a region in your AWS profile)\n');
    return 2;
  }

  let secretString: string | undefined;
  try {
    const response = await client.send(new GetSecretValueCommand({ SecretId: args.secret }));
    secretString = response.SecretString;
  } catch (e) {
    const error = e as Error;
    process.stderr.write(`scope-credentials: cannot read secret '${args.secret}': ${error.name}: ${error.message}${hint(error)}\n`);
    return 1;
  }
  if (secretString === undefined) {
    process.stderr.write(`scope-credentials: secret '${args.secret}' has no string value\n`);
    return 1;
  }

  try {
    const credentials = parseCredentials(secretString);
    process.stdout.write(args.format === 'env'
      ? envLines(credentials, args.service)
      : `${serviceUrl(credentials, chooseService(credentials, args.service))}\n`);
    return 0;
  } catch (e) {
    return fail(e);
  }
}

/** What to do about the usual failures. */
function hint(error: Error): string {
  if (error.name === 'AccessDeniedException') {
    return '\n  (your AWS identity needs secretsmanager:GetSecretValue on this secret, and kms:Decrypt on its key if the environment uses a customer managed key)';
  }
  if (error.name === 'CredentialsProviderError') {
    return '\n  (no AWS credentials found: set AWS_PROFILE, run `aws sso login`, or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)';
  }
  return '';
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
