export * from './control-queues';
