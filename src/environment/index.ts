export * from './scope-environment';
