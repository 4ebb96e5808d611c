/**
 * No secret value ever reaches a template, an output or an asset: both example environments are
 * synthesized into a real cloud assembly and every text file in it (templates, manifests,
 * metadata, tree, bundled Lambda code) is searched for credentials.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exampleApp, resourcesOfType } from './environments';

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scope-safety-secrets-'));
// Assets are what this test scans: stage them (test/jest.setup.ts turns staging off elsewhere).
const assembly = exampleApp({ outdir, postCliContext: { 'aws:cdk:disable-asset-staging': false } }).app.synth();
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/**
 * Text files only: the two zip assets are aws-cdk-lib's prebuilt kubectl/helm and AWS CLI layers
 * (third-party binaries, compressed), not something this library generates.
 */
const files = walk(outdir).filter(f => !f.endsWith('.zip'));

/** What a leaked credential looks like. Each pattern must not match anywhere in the assembly. */
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['private key', /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/],
  // A 40-character base64 string close after "secret": the shape of an AWS secret access key.
  ['secret access key', /secret[\w"'\\\s:=]{0,30}["'=:\s]([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/i],
  // A connection URL with a literal password (code that builds one from variables is fine).
  ['URL with credentials', /\b(postgres(ql)?|mysql|dynamodb|s3|sqs|https?):\/\/[^\s:/@"'`$]+:[^\s@"'`$<{/]+@/],
];

describe('the cloud assembly of both profiles', () => {
  test('contains templates and bundled handler code to search', () => {
    expect(files.filter(f => f.endsWith('.template.json'))).toHaveLength(2);
    expect(files.filter(f => /asset\.[0-9a-f]+.*\.(js|py)$/.test(f)).length).toBeGreaterThanOrEqual(3);
  });

  test.each(SECRET_PATTERNS)('no %s in any file', (_, pattern) => {
    const hits = files.flatMap(f => {
      const match = fs.readFileSync(f, 'utf8').match(pattern);
      return match ? [`${path.relative(outdir, f)}: ${match[0]}`] : [];
    });
    expect(hits).toEqual([]);
  });

  test('the patterns do find what they look for', () => {
    // AWS's documented example key, assembled at run time so no secret scanner mistakes this file for a leak.
    const keyId = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
    const secretKey = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
    const samples: { [name: string]: string } = {
      'AWS access key id': keyId,
      'private key': `-----BEGIN ${'RSA'} PRIVATE KEY-----`,
      'secret access key': `"SecretAccessKey": "${secretKey}"`,
      'URL with credentials': 'postgres://scope_users:hunter2@db.internal:5432/users',
    };
    for (const [name, pattern] of SECRET_PATTERNS) expect(samples[name]).toMatch(pattern);
    // The same key inside a JSON string (a SecretString written into a template).
    expect(`{\\"secretAccessKey\\":\\"${secretKey}\\"}`).toMatch(SECRET_PATTERNS[2][1]);
    expect(`dynamodb://${keyId}:${encodeURIComponent(secretKey)}@eu-west-1/prod_reports`).toMatch(SECRET_PATTERNS[3][1]);
    expect('postgres://${enc(username)}:${enc(password)}@${host}').not.toMatch(SECRET_PATTERNS[3][1]);
  });
});

describe.each(['scope-dev', 'scope-prod'])('%s template', (stackName) => {
  const template = assembly.getStackByName(stackName).template;
  const json = (value: unknown) => JSON.stringify(value);

  test('the database master password is RDS\'s own secret (HARDENED: ManageMasterUserPassword), never in the template', () => {
    const [[, db]] = resourcesOfType(template, 'AWS::RDS::DBInstance');
    expect(db.Properties.ManageMasterUserPassword).toBe(true);
    expect(db.Properties.MasterUserPassword).toBeUndefined();
    for (const [, secret] of resourcesOfType(template, 'AWS::SecretsManager::Secret')) {
      const generated = secret.Properties.GenerateSecretString !== undefined;
      // Either generated, or (access-key secrets) a JSON string built only from references and non-secret names.
      if (!generated) expect(json(secret.Properties.SecretString)).toContain('"Fn::GetAtt"');
    }
  });

  test('an access key\'s SecretAccessKey is read only into a Secrets Manager secret, never anywhere else', () => {
    const keys = resourcesOfType(template, 'AWS::IAM::AccessKey').map(([id]) => id);
    expect(keys).toHaveLength(3);
    for (const [id, resource] of Object.entries<any>(template.Resources)) {
      if (json(resource).includes('"SecretAccessKey"')) {
        expect({ id, type: resource.Type }).toEqual({ id, type: 'AWS::SecretsManager::Secret' });
      }
    }
    expect(json(template.Outputs ?? {})).not.toContain('SecretAccessKey');
  });

  test('no output, parameter or condition carries a secret or resolves one', () => {
    const outside = json({ Outputs: template.Outputs, Parameters: template.Parameters, Conditions: template.Conditions });
    expect(outside).not.toMatch(/resolve:secretsmanager|resolve:ssm-secure|SecretString|MasterUserPassword|password/i);
    // Outputs name secrets by ARN only.
    for (const [name, output] of Object.entries<any>(template.Outputs ?? {})) {
      if (/Secret/.test(name)) expect(json(output.Value)).toMatch(/^\{"Ref":"[A-Za-z0-9]+"\}$/);
    }
  });

  test('no literal password-like property anywhere in the resources', () => {
    for (const [id, resource] of Object.entries<any>(template.Resources)) {
      const props = resource.Properties ?? {};
      for (const key of ['MasterUserPassword', 'Password', 'SecretString']) {
        if (typeof props[key] === 'string') throw new Error(`${id} has a literal ${key}`);
      }
      if (resource.Type === 'AWS::IAM::User') expect(props.LoginProfile).toBeUndefined();
    }
  });
});
