export * from './dtype.js';
export * from './shape.js';
export * from './errors.js';
export * from './tensor.js';
export * from './graph.js';
export * from './walk.js';
