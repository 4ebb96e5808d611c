export * from './props';
export * from './scope-environment';
