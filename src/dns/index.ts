export * from './options';
export * from './environment-dns';
