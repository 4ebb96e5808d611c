/**
 * The `scope-credentials` command: URL building as pure functions, then the shipped bin
 * (assets/iam/scope-credentials/index.js, built by `npx projen bundle`, which the test task runs
 * first) end to end as a child process against a local fake Secrets Manager that answers the
 * JSON 1.1 GetSecretValue call.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { chooseService, CredentialService, parseCredentials, ServiceCredentials, serviceUrl } from '../../src/iam/credentials-url';
import { envLines } from '../../src/iam/scope-credentials';

const KEY = 'AKIAEXAMPLE/KEY+1';
const SECRET = 'wJal%rXU@tn:FEMI/K7MDENG+bPxRfiCY';
const KEY_ENC = 'AKIAEXAMPLE%2FKEY%2B1';
const SECRET_ENC = 'wJal%25rXU%40tn%3AFEMI%2FK7MDENG%2BbPxRfiCY';

const writer: ServiceCredentials = { accessKeyId: KEY, secretAccessKey: SECRET, region: 'eu-west-1', table: 'prod_reports', bucket: 'prod-reports' };
const queue: ServiceCredentials = { accessKeyId: KEY, secretAccessKey: SECRET, region: 'eu-west-1', queuePrefix: 'prod_control_' };

describe('serviceUrl', () => {
  test('dynamodb, s3 and sqs URLs with key and secret percent-encoded', () => {
    expect(serviceUrl(writer, CredentialService.DYNAMODB)).toBe(`dynamodb://${KEY_ENC}:${SECRET_ENC}@eu-west-1/prod_reports`);
    expect(serviceUrl(writer, CredentialService.S3)).toBe(`s3://${KEY_ENC}:${SECRET_ENC}@eu-west-1/prod-reports`);
    expect(serviceUrl(queue, CredentialService.SQS)).toBe(`sqs://${KEY_ENC}:${SECRET_ENC}@eu-west-1/prod_control_`);
  });

  test('the encoded parts decode back to the exact key and secret', () => {
    const url = new URL(serviceUrl(queue, CredentialService.SQS));
    expect(decodeURIComponent(url.username)).toBe(KEY);
    expect(decodeURIComponent(url.password)).toBe(SECRET);
    expect(url.hostname).toBe('eu-west-1');
    expect(url.pathname).toBe('/prod_control_');
  });

  test('a service the secret does not serve is refused', () => {
    expect(() => serviceUrl(queue, CredentialService.S3)).toThrow('this secret has no s3 resource; it serves: sqs');
  });
});

describe('chooseService', () => {
  test('the only service of a queue secret is picked without --service', () => {
    expect(chooseService(queue)).toBe(CredentialService.SQS);
  });

  test('a writer/reader secret (table and bucket) needs --service', () => {
    expect(() => chooseService(writer)).toThrow('this secret serves dynamodb and s3: choose one with --service dynamodb|s3');
    expect(chooseService(writer, 's3')).toBe(CredentialService.S3);
  });

  test('unknown and unserved services are refused', () => {
    expect(() => chooseService(writer, 'sns')).toThrow("invalid --service 'sns': must be one of dynamodb, s3, sqs");
    expect(() => chooseService(writer, 'sqs')).toThrow('this secret has no sqs resource; it serves: dynamodb, s3');
  });
});

describe('parseCredentials', () => {
  test('accepts the secret JSON and rejects other shapes without quoting the secret', () => {
    expect(parseCredentials(JSON.stringify(queue))).toEqual(queue);
    expect(() => parseCredentials(`not json ${SECRET}`)).toThrow(/^the secret is not JSON/);
    expect(() => parseCredentials('[1]')).toThrow('the secret is not a JSON object');
    expect(() => parseCredentials(JSON.stringify({ accessKeyId: KEY, region: 'x' }))).toThrow("the secret has no 'secretAccessKey'");
    expect(() => parseCredentials(`{"accessKeyId":"${KEY}","secretAccessKey":"${SECRET}"`)).toThrow(/^the secret is not JSON;[^%@]*$/);
  });
});

describe('scope-credentials command', () => {
  const secrets: Record<string, ServiceCredentials> = {
    'prod/queue': queue,
    'arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod-writer-AbCdEf': writer,
  };
  const requests: Array<{ target?: string; authorization?: string; body: any }> = [];
  let server: http.Server;
  let endpoint: string;
  let bundle: string;
  let tmp: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scope-credentials-'));
    bundle = path.join(__dirname, '../../assets/iam/scope-credentials/index.js');
    if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run npx projen bundle`);

    // Answers like Secrets Manager's JSON 1.1 protocol (recorded response and error shapes).
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', chunk => raw += chunk);
      req.on('end', () => {
        const body = JSON.parse(raw || '{}');
        requests.push({ target: req.headers['x-amz-target'] as string, authorization: req.headers.authorization, body });
        const reply = (status: number, payload: object, errorType?: string) => {
          res.writeHead(status, {
            'Content-Type': 'application/x-amz-json-1.1',
            'x-amzn-RequestId': 'b8c2d4e6-0000-4000-8000-000000000000',
            ...(errorType ? { 'x-amzn-ErrorType': errorType } : {}),
          });
          res.end(JSON.stringify(payload));
        };
        if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
          return reply(400, { __type: 'UnknownOperationException' }, 'UnknownOperationException');
        }
        if (body.SecretId === 'prod/forbidden') {
          return reply(400, {
            __type: 'AccessDeniedException',
            Message: 'User: arn:aws:iam::111111111111:user/ci is not authorized to perform: secretsmanager:GetSecretValue on resource: prod/forbidden',
          }, 'AccessDeniedException');
        }
        const value = secrets[body.SecretId];
        if (!value) {
          return reply(400, { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." }, 'ResourceNotFoundException');
        }
        return reply(200, {
          ARN: body.SecretId.startsWith('arn:') ? body.SecretId : `arn:aws:secretsmanager:eu-west-1:111111111111:secret:${body.SecretId}-AbCdEf`,
          Name: body.SecretId,
          VersionId: 'EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE',
          SecretString: JSON.stringify(value),
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1764079200.123,
        });
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  beforeEach(() => { requests.length = 0; });

  /**
   * Runs the bundled command as a child process (async: the fake server lives in this process).
   * An `env` entry set to '' removes that variable.
   */
  function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const all: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
      AWS_ACCESS_KEY_ID: 'AKIDFAKEFORTESTS',
      AWS_SECRET_ACCESS_KEY: 'fake-secret-for-tests',
      AWS_REGION: 'eu-west-1',
      AWS_CONFIG_FILE: path.join(tmp, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_MAX_ATTEMPTS: '1',
      // no AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: the command itself keeps stderr clean
      ...env,
    };
    return new Promise(resolve => {
      execFile(process.execPath, [bundle, ...args], {
        env: Object.fromEntries(Object.entries(all).filter(([, v]) => v !== '')),
        timeout: 30_000,
      }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      });
    });
  }

  test('prints only the sqs URL of a queue secret, after a signed GetSecretValue call', async () => {
    const result = await run(['--secret', 'prod/queue']);
    expect(result).toEqual({ code: 0, stdout: `sqs://${KEY_ENC}:${SECRET_ENC}@eu-west-1/prod_control_\n`, stderr: '' });
    expect(requests).toHaveLength(1);
    expect(requests[0].target).toBe('secretsmanager.GetSecretValue');
    expect(requests[0].body).toEqual({ SecretId: 'prod/queue' });
    expect(requests[0].authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFAKEFORTESTS\/\d{8}\/eu-west-1\/secretsmanager\/aws4_request/);
  });

  test('--service picks dynamodb or s3 from a writer secret; the region comes from the ARN', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod-writer-AbCdEf';
    const dynamodb = await run(['--secret', arn, '--service', 'dynamodb'], { AWS_REGION: 'us-east-1' });
    expect(dynamodb).toEqual({ code: 0, stdout: `dynamodb://${KEY_ENC}:${SECRET_ENC}@eu-west-1/prod_reports\n`, stderr: '' });
    expect(requests[0].authorization).toContain('/eu-west-1/secretsmanager/');
    const s3 = await run([`--secret=${arn}`, '--service=s3', '--region', 'eu-west-1']);
    expect(s3).toEqual({ code: 0, stdout: `s3://${KEY_ENC}:${SECRET_ENC}@eu-west-1/prod-reports\n`, stderr: '' });
    requests.length = 0;
    expect(await run(['--secret', 'prod/queue', '--region', 'ap-south-1'])).toMatchObject({ code: 0 });
    expect(requests[0].authorization).toContain('/ap-south-1/secretsmanager/');
  });

  test('a writer secret without --service: exit 2, nothing on stdout', async () => {
    const result = await run(['--secret', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod-writer-AbCdEf']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('scope-credentials: this secret serves dynamodb and s3: choose one with --service dynamodb|s3');
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stderr).not.toContain(SECRET_ENC);
  });

  test('a missing secret: exit 1 with the service error', async () => {
    const result = await run(['--secret', 'prod/nope']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: "scope-credentials: cannot read secret 'prod/nope': ResourceNotFoundException: Secrets Manager can't find the specified secret.\n",
    });
  });

  test('a bad --service: exit 2 before any call', async () => {
    const result = await run(['--secret', 'prod/queue', '--service', 'kinesis']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("scope-credentials: invalid --service 'kinesis': must be one of dynamodb, s3, sqs");
    expect(requests).toHaveLength(0);
  });

  test('a service the secret does not serve: exit 2', async () => {
    const result = await run(['--secret', 'prod/queue', '--service', 's3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('this secret has no s3 resource; it serves: sqs');
  });

  test('missing --secret, unknown arguments and --help', async () => {
    expect(await run([])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('--secret is required') });
    expect(await run(['--secret', 'prod/queue', '--user', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown argument '--user'") });
    expect(await run(['--secret'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--secret needs a value') });
    expect(await run(['--secret', 'prod/queue', '--format', 'yaml'])).toMatchObject({ code: 2, stderr: expect.stringContaining("invalid --format 'yaml': must be url or env") });
    expect(requests).toHaveLength(0);
  });

  test('--help: description, options, examples, the IAM permissions and the exit codes', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^usage: scope-credentials --secret <arn-or-name> \[--service dynamodb\|s3\|sqs\] \[--region <region>\] \[--format url\|env\]\n/);
    expect(help.stdout).toContain('Prints the service URL of a cdk-scope-environment service user');
    for (const option of ['--secret <arn-or-name>', '--service <service>', '--region <region>', '--format url|env', '-V, --version']) {
      expect(help.stdout).toContain(option);
    }
    expect(help.stdout).toContain('Examples:\n  npx scope-credentials --secret arn:aws:secretsmanager:');
    expect(help.stdout).toContain('secretsmanager:GetSecretValue on the secret');
    expect(help.stdout).toContain('kms:Decrypt');
    expect(help.stdout).toMatch(/Exit codes:\n {2}0 {2}printed\n {2}1 {2}the secret could not be read.*\n {2}2 {2}bad arguments/);
    expect(await run(['-h'])).toEqual(help);
  });

  test('--version prints the version from the package.json of the installed package', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(await run(['-V'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('no region anywhere: exit 2 with a hint instead of the SDK\'s "Region is missing"', async () => {
    const result = await run(['--secret', 'prod/queue'], { AWS_REGION: '' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('scope-credentials: no AWS region: pass --region <region>, give the secret\'s full ARN (it contains the region), or set AWS_REGION (or a region in your AWS profile)\n');
    expect(requests).toHaveLength(0);
    // the ARN's region is enough
    const arn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod-writer-AbCdEf';
    expect(await run(['--secret', arn, '--service', 's3'], { AWS_REGION: '' })).toMatchObject({ code: 0, stderr: '' });
  });

  test('access denied: exit 1 naming the permission the caller needs', async () => {
    const result = await run(['--secret', 'prod/forbidden']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("scope-credentials: cannot read secret 'prod/forbidden': AccessDeniedException:");
    expect(result.stderr).toContain('needs secretsmanager:GetSecretValue on this secret, and kms:Decrypt on its key');
  });

  test('--format env prints KEY=url lines: every service of the secret, or the one asked for', async () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod-writer-AbCdEf';
    expect(await run(['--secret', arn, '--format', 'env'])).toEqual({
      code: 0,
      stdout: `DYNAMODB_URL=dynamodb://${KEY_ENC}:${SECRET_ENC}@eu-west-1/prod_reports\nS3_URL=s3://${KEY_ENC}:${SECRET_ENC}@eu-west-1/prod-reports\n`,
      stderr: '',
    });
    expect(await run(['--secret', arn, '--format=env', '--service', 's3'])).toEqual({ code: 0, stdout: `S3_URL=s3://${KEY_ENC}:${SECRET_ENC}@eu-west-1/prod-reports\n`, stderr: '' });
    expect(await run(['--secret', 'prod/queue', '--format', 'env'])).toEqual({ code: 0, stdout: `SQS_URL=sqs://${KEY_ENC}:${SECRET_ENC}@eu-west-1/prod_control_\n`, stderr: '' });
    expect(await run(['--secret', 'prod/queue', '--format', 'url'])).toEqual({ code: 0, stdout: `sqs://${KEY_ENC}:${SECRET_ENC}@eu-west-1/prod_control_\n`, stderr: '' });
  });
});

describe('envLines', () => {
  test('lines parse back as dotenv / kubectl --from-env-file entries with the exact URL', () => {
    const lines = envLines(writer).trimEnd().split('\n');
    expect(lines.map(l => l.slice(0, l.indexOf('=')))).toEqual(['DYNAMODB_URL', 'S3_URL']);
    expect(lines[1].slice(lines[1].indexOf('=') + 1)).toBe(serviceUrl(writer, CredentialService.S3));
    // nothing a .env parser or kubectl would treat specially: no quotes, spaces, # or $
    for (const line of lines) expect(line).toMatch(/^[A-Z][A-Z0-9_]*=[A-Za-z0-9%:/@._~-]+$/);
    expect(() => envLines({ accessKeyId: KEY, secretAccessKey: SECRET, region: 'eu-west-1' })).toThrow('the secret holds no table, bucket or queuePrefix');
  });
});
