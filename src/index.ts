// Public exports of cdk-scope-environment: one line per construct folder.
