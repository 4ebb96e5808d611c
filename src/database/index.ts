export * from './options';
export * from './users-database';
