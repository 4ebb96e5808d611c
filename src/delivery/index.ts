export * from './environment-stage';
export * from './delivery-pipeline';
