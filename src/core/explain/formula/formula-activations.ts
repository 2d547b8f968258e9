// Activation and other one-input elementwise functions as formulas, constants substituted.
import type { Node } from '../../ir/graph.js';
import { attrFloat, attrInt, attrString } from '../values/attributes.js';
import { formatNumber } from './formula-tensors.js';
import type { FormulaPart } from './formula-text.js';

type Expr = (x: FormulaPart) => (FormulaPart | string)[];

/** The activation's formula over its input x, or undefined when the op is not an activation. */
export function activationFormula(node: Node): { expr: Expr; note?: string } | undefined {
  const op = node.opType === 'Activation' ? kerasName(attrString(node, 'activation', 'linear')) : node.opType;
  const f = (n: string, def: number) => formatNumber(attrFloat(node, n, def));
  const axis = attrInt(node, ['axis', 'dim'], -1);
  switch (op) {
    case 'Relu': return { expr: (x) => ['max(0, ', x, ')'] };
    case 'ReLU': {
      // Keras ReLU layer: max_value caps it (ReLU6), negative_slope makes it leaky.
      const cap = attrFloat(node, 'max_value', NaN), slope = attrFloat(node, 'negative_slope', 0);
      const inner = (x: FormulaPart): (FormulaPart | string)[] => (slope ? ['max(', x, `, ${formatNumber(slope)}·`, x, ')'] : ['max(0, ', x, ')']);
      return { expr: (x) => (Number.isFinite(cap) && cap > 0 ? ['min(', ...inner(x), `, ${formatNumber(cap).replace(/\.0$/, '')})`] : inner(x)) };
    }
    case 'Relu6': return { expr: (x) => ['min(max(0, ', x, '), 6)'] };
    case 'LeakyRelu': return { expr: (x) => ['max(', x, `, ${f('alpha', 0.01)}·`, x, ')'] };
    case 'Sigmoid': return { expr: (x) => ['1 / (1 + e^(−', x, '))'] };
    case 'Tanh': return { expr: (x) => ['tanh(', x, ')'] };
    case 'Exp': return { expr: (x) => ['e^', x] };
    case 'Log': return { expr: (x) => ['ln(', x, ')'] };
    case 'Sqrt': return { expr: (x) => ['√', x] };
    case 'Rsqrt': return { expr: (x) => ['1 / √', x] };
    case 'Reciprocal': return { expr: (x) => ['1 / ', x] };
    case 'Neg': return { expr: (x) => ['−', x] };
    case 'Abs': return { expr: (x) => ['|', x, '|'] };
    case 'Square': return { expr: (x) => [x, '²'] };
    case 'Erf': return { expr: (x) => ['erf(', x, ')'] };
    case 'Floor': return { expr: (x) => ['⌊', x, '⌋'] };
    case 'Ceil': return { expr: (x) => ['⌈', x, '⌉'] };
    case 'Sin': case 'Cos': case 'Tan': case 'Sign': case 'Round': return { expr: (x) => [`${op.toLowerCase()}(`, x, ')'] };
    case 'Softplus': return { expr: (x) => ['ln(1 + e^', x, ')'] };
    case 'Softsign': return { expr: (x) => [x, ' / (1 + |', x, '|)'] };
    case 'Elu': case 'ELU': return { expr: (x) => [x, ` if `, x, ` > 0, else ${f('alpha', 1)}·(e^`, x, ' − 1)'] };
    case 'Selu': return { expr: (x) => [`${f('gamma', 1.0507)}·(`, x, ' if ', x, ` > 0, else ${f('alpha', 1.67326)}·(e^`, x, ' − 1))'] };
    case 'Celu': return { expr: (x) => ['max(0, ', x, `) + min(0, ${f('alpha', 1)}·(e^(`, x, `/${f('alpha', 1)}) − 1))`] };
    case 'HardSigmoid': return { expr: (x) => [`max(0, min(1, ${f('alpha', 0.2)}·`, x, ` + ${f('beta', 0.5)}))`] };
    case 'HardSwish': return { expr: (x) => [x, '·max(0, min(1, ', x, '/6 + 1/2))'] };
    case 'Mish': return { expr: (x) => [x, '·tanh(ln(1 + e^', x, '))'] };
    case 'Swish': case 'swish': case 'silu': return { expr: (x) => [x, ' / (1 + e^(−', x, '))'] };
    case 'ThresholdedRelu': return { expr: (x) => [x, ' if ', x, ` > ${f('alpha', 1)}, else 0`] };
    case 'Gelu': case 'FastGelu': case 'gelu':
      return attrString(node, 'approximate', op === 'FastGelu' ? 'tanh' : 'none') === 'tanh'
        ? { expr: (x) => ['½·', x, '·(1 + tanh(√(2/π)·(', x, ' + 0.044715·', x, '³)))'] }
        : { expr: (x) => ['½·', x, '·(1 + erf(', x, ' / √2))'] };
    case 'QuickGelu': return { expr: (x) => [x, ` / (1 + e^(−${f('alpha', 1.702)}·`, x, '))'] };
    case 'Softmax': case 'softmax': return { expr: (x) => ['e^', x, 'ᵢ / Σⱼ e^', x, 'ⱼ'], note: `over axis ${axis}` };
    case 'LogSoftmax': return { expr: (x) => [x, 'ᵢ − ln Σⱼ e^', x, 'ⱼ'], note: `over axis ${axis}` };
    case 'Hardmax': return { expr: (x) => ['1 where ', x, ' is largest along the axis, else 0'], note: `over axis ${axis}` };
    case 'Clip': case 'ClipByValue': return { expr: (x) => ['min(max(', x, ', lo), hi)'], note: 'lo and hi are the clip bounds (inputs or attributes min/max)' };
    case 'PRelu': case 'Prelu': case 'PReLU': return { expr: (x) => ['max(0, ', x, ') + α·min(0, ', x, ')'], note: 'α is the learned slope' };
    case 'linear': return { expr: (x) => [x] };
    case 'LRN': return { expr: (x) => [x, ` / (${f('bias', 1)} + ${f('alpha', 1e-4)}/${attrInt(node, 'size', 5)}·Σ_{nearby channels} `, x, `²)^${f('beta', 0.75)}`] };
  }
  return undefined;
}

function kerasName(a: string): string {
  const m: Record<string, string> = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax', elu: 'Elu', selu: 'Selu', softplus: 'Softplus', softsign: 'Softsign', relu6: 'Relu6', hard_sigmoid: 'HardSigmoid', exponential: 'Exp' };
  return m[a] ?? a;
}
