// Public surface of @baton/shared: one barrel per area, each owned by its own folder.
export * from './async/index.ts';
export * from './config/index.ts';
export * from './errors/index.ts';
export * from './events/index.ts';
export * from './ids/index.ts';
export * from './logging/index.ts';
export * from './messageml/index.ts';
export * from './metrics/index.ts';
export * from './net/index.ts';
export * from './process/index.ts';
export * from './queue/index.ts';
export * from './redis/index.ts';
export * from './symphony/index.ts';
export * from './tracing/index.ts';
