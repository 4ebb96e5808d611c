export * from './environment-key';
