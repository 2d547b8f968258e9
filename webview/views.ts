// Which view draws each tab. Owned by the integrator: the graph/, params/ and run/ helpers add
// their factory here. A tab without a factory shows the model overview instead.
import type { TabId } from '../src/protocol.js';
import type { ViewFactory } from './view.js';
import { createGraphView } from './graph/index.js';
import { createParamsView } from './params/index.js';
import { createRunView } from './run/index.js';
import { createFunctionView } from './function/index.js';

export const viewFactories: Partial<Record<Exclude<TabId, 'overview'>, ViewFactory>> = {
  graph: createGraphView,
  params: createParamsView,
  run: createRunView,
  function: createFunctionView,
};
