export * from './frontend-endpoint';
