export * from './environment-monitoring';
