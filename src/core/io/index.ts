export * from './tensor-data.js';
export * from './paths.js';
