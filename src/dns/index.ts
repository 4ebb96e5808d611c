export * from './environment-dns';
