/**
 * `scope-change-report --stack <name> [--cdk-out <dir> | --new-template <file>]
 *   [--deployed-template <file> | --role-arn <arn>] [--region <region>] [--commit-message <file>]`
 *
 * Diffs a stack's deployed template with the new one (from cdk.out) using `fullDiff` from
 * @aws-cdk/cloudformation-diff, prints the README "What a change does" table for the stack on
 * stdout, and fails when a stateful resource would be replaced or removed, unless the commit
 * message names it in an `Allow-Replace: <logicalId>` trailer. The deployed template comes from
 * CloudFormation GetTemplate (optionally through an assumed role, e.g. the account's CDK
 * bootstrap lookup role) or, offline, from a file.
 *
 * Bundled with esbuild into assets/delivery/change-report/index.js (the package's bin
 * `scope-change-report`). Not exported from the package index.
 */
import * as fs from 'fs';
// The SDK is bundled into the command by esbuild (assets/), so it is a devDependency on purpose.
// eslint-disable-next-line import/no-extraneous-dependencies
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
// eslint-disable-next-line import/no-extraneous-dependencies
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { changeReport, EXIT_BLOCKED, EXIT_OK, EXIT_READ_FAILED, EXIT_USAGE } from './change-report-core';
import { findStack } from './cloud-assembly';
import { packageVersion } from '../private/package-version';

const USAGE = 'usage: scope-change-report --stack <name> [--cdk-out <dir> | --new-template <file>] '
  + '[--deployed-template <file> | --role-arn <arn>] [--region <region>] [--commit-message <file>]';

const HELP = `${USAGE}

Shows what deploying the new template of a stack would do to the deployed one, as the README table
"What a change does" writes it (replaced, updated, added / removed resources, rated by
@aws-cdk/cloudformation-diff from the CloudFormation resource specification), and stops a change that
would replace or remove a stateful resource: a database, table, bucket, hosted zone, secret, KMS key,
EKS cluster, IAM user or access key, log group or queue.

Options:
  --stack <name>              the stack: its CloudFormation name or its path in the app (e.g. prod/Scope); required
  --cdk-out <dir>             the cloud assembly with the new template (default: cdk.out); stages' nested
                              assemblies are searched too
  --new-template <file>       the new template as a file instead of --cdk-out
  --deployed-template <file>  the deployed template as a file (offline); default: CloudFormation GetTemplate
  --role-arn <arn>            assume this role for GetTemplate, e.g. the account's CDK bootstrap lookup role
                              arn:aws:iam::<account>:role/cdk-hnb659fds-lookup-role-<account>-<region>
  --region <region>           region of the stack (default: the stack's environment in cdk.out, else AWS_REGION)
  --commit-message <file>     the commit message; each "Allow-Replace: <logicalId>[, <logicalId>...]" trailer
                              in it lets the named stateful resources be replaced or removed
  -h, --help                  this help
  -V, --version               the package version

A stack that does not exist yet is compared with an empty template (everything is added).

Exit codes:
  0  no stateful resource is replaced or removed (or every one is named by an Allow-Replace trailer)
  1  a template could not be read (file, cdk.out, CloudFormation, the role)
  2  bad arguments
  3  a stateful resource would be replaced or removed and no Allow-Replace trailer names it
`;

/** Parsed command line. */
export interface ChangeReportArguments {
  readonly stack?: string;
  readonly cdkOut?: string;
  readonly newTemplate?: string;
  readonly deployedTemplate?: string;
  readonly roleArn?: string;
  readonly region?: string;
  readonly commitMessage?: string;
  readonly help?: boolean;
  readonly version?: boolean;
}

/** A bad command line. */
export class ChangeReportUsageError extends Error {}

const OPTIONS: { [flag: string]: keyof ChangeReportArguments } = {
  'stack': 'stack',
  'cdk-out': 'cdkOut',
  'new-template': 'newTemplate',
  'deployed-template': 'deployedTemplate',
  'role-arn': 'roleArn',
  'region': 'region',
  'commit-message': 'commitMessage',
};

/** Parses `--option value`, `--option=value`, `-h/--help` and `-V/--version`. */
export function parseArguments(argv: string[]): ChangeReportArguments {
  const values: { [key: string]: string | boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { help: true };
    if (arg === '-V' || arg === '--version') return { version: true };
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !OPTIONS[match[1]]) throw new ChangeReportUsageError(`unknown argument '${arg}'`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new ChangeReportUsageError(`--${match[1]} needs a value`);
    values[OPTIONS[match[1]]] = value;
  }
  const args = values as ChangeReportArguments;
  if (!args.stack) throw new ChangeReportUsageError('--stack is required');
  if (args.cdkOut && args.newTemplate) throw new ChangeReportUsageError('give --cdk-out or --new-template, not both');
  if (args.deployedTemplate && args.roleArn) throw new ChangeReportUsageError('give --deployed-template or --role-arn, not both');
  if (args.roleArn && !/^arn:[a-z-]+:iam::\d{12}:role\/.+$/.test(args.roleArn)) {
    throw new ChangeReportUsageError(`invalid --role-arn '${args.roleArn}': must be an IAM role ARN`);
  }
  return args;
}


/** A template read from a file (JSON; CDK writes JSON). */
function readTemplateFile(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The new template and the stack's name and region. */
function newTemplate(args: ChangeReportArguments): { template: any; stackName: string; region?: string } {
  if (args.newTemplate) return { template: readTemplateFile(args.newTemplate), stackName: args.stack! };
  const stack = findStack(args.cdkOut ?? 'cdk.out', args.stack!);
  return { template: readTemplateFile(stack.templateFile), stackName: stack.stackName, region: stack.region };
}

/**
 * The deployed template from CloudFormation GetTemplate (the template as deployed, `Original`
 * stage), through `roleArn` if given; undefined when the stack does not exist.
 */
async function deployedTemplate(stackName: string, region: string | undefined, roleArn: string | undefined): Promise<any | undefined> {
  // The bundled SDK's notice about its future Node.js support would put lines on every call's stderr.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let credentials;
  if (roleArn) {
    const sts = new STSClient({ region });
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'scope-change-report' }));
    const c = assumed.Credentials!;
    credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
  }
  const cloudformation = new CloudFormationClient({ region, credentials });
  try {
    const response = await cloudformation.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }));
    return JSON.parse(response.TemplateBody ?? '{}');
  } catch (e) {
    const error = e as Error;
    if (error.name === 'ValidationError' && /does not exist/.test(error.message)) return undefined;
    throw e;
  }
}

/** Runs the command; resolves to the exit code. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  let args: ChangeReportArguments;
  try {
    args = parseArguments(argv);
  } catch (e) {
    if (!(e instanceof ChangeReportUsageError)) throw e;
    process.stderr.write(`scope-change-report: ${e.message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (args.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  if (args.version) {
    process.stdout.write(`${packageVersion(__dirname)}\n`);
    return EXIT_OK;
  }
  let report;
  try {
    const next = newTemplate(args);
    const deployed = args.deployedTemplate
      ? readTemplateFile(args.deployedTemplate)
      : await deployedTemplate(next.stackName, args.region ?? next.region, args.roleArn);
    const message = args.commitMessage ? fs.readFileSync(args.commitMessage, 'utf8') : undefined;
    report = changeReport(next.stackName, deployed, next.template, message);
  } catch (e) {
    const error = e as Error;
    process.stderr.write(`scope-change-report: cannot read a template: ${error.name}: ${error.message}\n`);
    return EXIT_READ_FAILED;
  }
  process.stdout.write(report.markdown);
  if (report.exitCode === EXIT_BLOCKED) {
    process.stderr.write('scope-change-report: a stateful resource would be replaced or removed (see BLOCKED above)\n');
  }
  return report.exitCode;
}

if (require.main === module) {
  main().then(code => { process.exitCode = code; }, (e: Error) => {
    process.stderr.write(`scope-change-report: ${e.name}: ${e.message}\n`);
    process.exitCode = EXIT_READ_FAILED;
  });
}
