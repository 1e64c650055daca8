export * from './canonical.js';
export * from './chain.js';
export * from './signing.js';
export * from './migrations.js';
export * from './sealed-log.js';
export * from './log-sealer.js';
export * from './verify-log.js';
export * from './access-log.js';
