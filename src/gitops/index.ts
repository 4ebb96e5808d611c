export * from './options';
export * from './gitops';
export * from './environment-config';
