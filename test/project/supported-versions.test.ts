/**
 * README "Supported and tested versions" says what package.json declares and what the consumer
 * test runs: the Node.js range is the one aws-cdk-lib itself declares (the package runs inside an
 * app that loads it), the aws-cdk-lib range is the peer dependency, and the tested versions are
 * the ones test/consumer/ pins.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const json = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const pkg = json('package.json');
const row = (name: string) => README.split('\n').find(line => line.startsWith(`| ${name} |`)) ?? `no README row '${name}'`;

describe('supported and tested versions', () => {
  test('engines.node is what aws-cdk-lib (at the peer minimum) declares, and the README says so', () => {
    expect(pkg.engines.node).toBe(json('node_modules/aws-cdk-lib/package.json').engines.node);
    expect(pkg.engines.node).toBe('>= 20.0.0');
    expect(row('Node.js')).toMatch(/^\| Node\.js \| 20 or later \(`engines`; aws-cdk-lib asks for the same\) \|/);
  });

  test('the aws-cdk-lib row names the peer range and both consumer runs', () => {
    const peer = pkg.peerDependencies['aws-cdk-lib'];
    const init = fs.readFileSync(path.join(ROOT, 'test', 'consumer', 'consumer-init.test.ts'), 'utf8');
    const newest = /const LIB_VERSION = '([\d.]+)'/.exec(init)![1];
    const cli = /const CLI_VERSION = '([\d.]+)'/.exec(init)![1];
    expect(row('aws-cdk-lib')).toContain(`\`${peer}\` (the peer dependency)`);
    expect(row('aws-cdk-lib')).toContain(`${peer.replace(/^\^/, '')} with the files above`);
    expect(row('aws-cdk-lib')).toContain(`${newest} (the newest when last bumped) in an app from \`cdk init\` of CLI ${cli}`);
    expect(json('test/consumer/app-template/package.json').dependencies['aws-cdk-lib']).toBe(peer.replace(/^\^/, ''));
    expect(row('`aws-cdk` CLI')).toMatch(new RegExp(`\\| ${cli.replace(/\./g, '\\.')} \\|$`));
    expect(json('test/consumer/app-template/package.json').devDependencies['aws-cdk']).toBe(cli);
  });

  test('the Node.js major this test runs on is the one the README calls tested (checked in CI, where that is the claim)', () => {
    const major = process.versions.node.split('.')[0];
    const tested = /\| (\d+) only \(/.exec(row('Node.js'));
    expect(tested).not.toBeNull();
    if (/^(1|true|yes)$/i.test(process.env.CI ?? '')) expect(tested![1]).toBe(major);
  });
});
