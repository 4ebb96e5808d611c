export * from './options';
export * from './scope-cluster';
export { ClusterSupportType } from './kubernetes-version';
export { NodeAmiRelease } from './node-ami';
