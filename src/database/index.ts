export * from './users-database';
