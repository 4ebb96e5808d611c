// Public exports of cdk-scope-environment: one line per construct folder.
export * from './storage';
export * from './queue';
export * from './iam';
export * from './cluster';
export * from './frontend';
export * from './database';
export * from './dns';
export * from './encryption';
export * from './monitoring';
export * from './gitops';
// The defaults table, ProfileDefaults and AlarmThresholds are internal (src/profile): only the profile choice is API.
export { EnvironmentProfile } from './profile';
export * from './environment';
export * from './delivery';
