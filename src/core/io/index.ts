export * from './tensor-data.js';
export * from './paths.js';
export * from './tensor-data-wire.js';
