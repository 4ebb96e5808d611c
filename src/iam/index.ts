export * from './service-user';
export * from './scope-service-users';
export * from './email-sender';
// credentials-url.ts and scope-credentials.ts are the `scope-credentials` command, not library API.
