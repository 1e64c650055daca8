// The relay's service wiring (issue 17, item 3): the messaging relay run under supervision in a NestJS process
// (the relay app, the quick start, tests). Moved out of libs/platform, which is only the platform.
export * from './relay.module.js';
