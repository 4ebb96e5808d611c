export * from './scope-cluster';
export * from './frontend';
