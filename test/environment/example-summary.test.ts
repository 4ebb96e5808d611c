/**
 * `npx projen example` prints a summary per stack (example/summary.ts): the warnings the CLI shows
 * (annotations from the stack's metadata file, in the CLI's form), output values that are known at synth time, `(known after deploy)` for the rest. The example's environments synthesize
 * without any context lookup, so the summary is what the CLI would print for the same app.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { knownValue, summary } from '../../example/summary';
import { exampleApp } from '../safety/environments';

describe('example summary', () => {
  let outdir: string;
  let lines: string[];
  let missing: unknown;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-summary-'));
    const { app } = exampleApp({ outdir });
    missing = app.synth().manifest.missing;
    lines = summary(outdir);
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('no context lookup was needed', () => {
    expect(missing).toBeUndefined();
  });

  test('one header per stack, then the outputs with the values synthesis knows', () => {
    expect(lines.filter(l => !l.startsWith('  '))).toEqual([
      expect.stringMatching(/^scope-dev \(aws:\/\/111111111111\/eu-west-1\): \d+ resources, \d+ Lambda functions$/),
      expect.stringMatching(/^scope-prod \(aws:\/\/222222222222\/eu-west-1\): \d+ resources, \d+ Lambda functions$/),
    ]);
    const dev = lines.slice(1, lines.findIndex(l => l.startsWith('scope-prod')));
    expect(dev).toContainEqual(expect.stringMatching(/^ {2}\w*FrontendUrl\w*: http:\/\/frontend\.dev\.scope\.example\.com\/$/));
    expect(dev).toContainEqual(expect.stringMatching(/^ {2}\w*ControlQueuePrefix\w*: dev_control_$/));
    expect(dev).toContainEqual(expect.stringMatching(/^ {2}\w*DatabaseEndpoint\w*: \(known after deploy\)$/));
    const prod = lines.slice(lines.findIndex(l => l.startsWith('scope-prod')));
    expect(prod).toContainEqual(expect.stringMatching(/^ {2}\w*ControlQueuePrefix\w*: prod_control_$/));
  });

  test('the warnings `cdk synth` shows for the same app, in the CLI\'s form, under their stack (the example has admins: no cluster-no-admin)', () => {
    // What the aws-cdk CLI 2.1149.0 printed for `cdk synth` of example/app.ts, below a source-location line
    // (test/consumer/ checks the same form against the CLI's output for the quick start).
    const prod = lines.findIndex(l => l.startsWith('scope-prod'));
    const warnings = lines.filter(l => /^ {2}(WARNING|ERROR) /.test(l));
    expect(warnings).toEqual([expect.stringMatching(/^ {2}WARNING certificate: ACM validates .*get-hosted-zone`\)\. \(Construct Annotations\)$/)]);
    const at = lines.indexOf(warnings[0]);
    expect(at).toBeGreaterThan(prod);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '     scope-prod/prod/Dns',
      "     Acknowledge with 'Annotation::cdk-scope-environment:dns-certificate-validation'",
    ]);
  });

  test('knownValue joins plain strings and gives up on references', () => {
    expect(knownValue('x')).toBe('x');
    expect(knownValue({ 'Fn::Join': ['', ['http://', 'a.example.com', '/']] })).toBe('http://a.example.com/');
    expect(knownValue({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': ['Lb', 'DNSName'] }, '/']] })).toBeUndefined();
    expect(knownValue({ Ref: 'Table' })).toBeUndefined();
  });
});
