export * from './options';
export * from './frontend-endpoint';
