export * from './scope-cluster';
export * from './frontend';
export { ClusterSupportType } from './kubernetes-version';
