export * from './gitops';
export * from './environment-config';
