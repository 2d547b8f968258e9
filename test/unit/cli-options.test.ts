// The one option parser of `model-lens` and the one error formatter: typed results from a declared
// spec, and usage errors (exit 2) that name the bad option.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HelpRequested, reportError, UsageError, type CommandIo } from '../../src/cli/errors.js';
import { ModelError } from '../../src/core/ir/errors.js';
import { choice, flag, list, nameList, number, numberList, parseOptions, text, value, wholeNumber } from '../../src/cli/options.js';

const spec = {
  usage: 'usage: model-lens demo <file> [--json] [--runs N] [--dim name=size ...]',
  positional: { name: 'model file', count: 1 },
  options: {
    json: flag(),
    runs: value(wholeNumber(1), 1),
    scale: value(number(0)),
    mode: value(choice(['fast', 'exact'] as const)),
    dim: list(text),
    capture: list(nameList),
    mean: value(numberList),
    saveOutputs: value(text),
  },
};

const usageError = (args: string[], message: string) => assert.throws(() => parseOptions(spec, args), (e: unknown) => {
  assert.ok(e instanceof UsageError, `a UsageError, got ${String(e)}`);
  assert.equal(e.message, message);
  return true;
});

test('defaults, flags, values in both spellings and camelCase names in kebab case', () => {
  const none = parseOptions(spec, ['m.onnx']);
  assert.deepEqual(none, { positional: ['m.onnx'], options: { json: false, runs: 1, scale: undefined, mode: undefined, dim: [], capture: [], mean: undefined, saveOutputs: undefined } });
  const all = parseOptions(spec, ['--json', '--runs', '3', 'm.onnx', '--scale=0.5', '--mode', 'exact', '--mean', '-0.5,0,1e-3', '--save-outputs', 'out']);
  assert.equal(all.options.json, true);
  assert.equal(all.options.runs, 3);
  assert.equal(all.options.scale, 0.5);
  assert.equal(all.options.mode, 'exact');
  assert.deepEqual(all.options.mean, [-0.5, 0, 0.001], 'a value may start with a minus sign');
  assert.equal(all.options.saveOutputs, 'out');
  assert.deepEqual(all.positional, ['m.onnx']);
});

test('a repeated option keeps every value in order; a single-value option keeps the last', () => {
  const r = parseOptions(spec, ['m.onnx', '--dim', 'N=1', '--dim=C=3', '--capture', 'a,b', '--capture', 'c', '--runs', '2', '--runs', '5']);
  assert.deepEqual(r.options.dim, ['N=1', 'C=3'], '--dim=C=3 splits at the first =');
  assert.deepEqual(r.options.capture, [['a', 'b'], ['c']]);
  assert.equal(r.options.runs, 5);
});

test('an unknown option is named', () => {
  usageError(['m.onnx', '--jsn'], 'unknown option --jsn');
  usageError(['m.onnx', '--jsn=1'], 'unknown option --jsn');
  usageError(['m.onnx', '-x'], 'unknown option -x');
  usageError(['m.onnx', '--save_outputs', 'o'], 'unknown option --save_outputs');
});

test('a missing value is named; a flag takes none', () => {
  usageError(['m.onnx', '--runs'], '--runs needs a value');
  usageError(['m.onnx', '--dim'], '--dim needs a value');
  usageError(['m.onnx', '--json=yes'], '--json takes no value');
});

test('a bad number is named with what was given', () => {
  usageError(['m.onnx', '--runs', 'many'], "--runs must be a whole number ≥ 1, got 'many'");
  usageError(['m.onnx', '--runs', '0'], "--runs must be a whole number ≥ 1, got '0'");
  usageError(['m.onnx', '--runs', '2.5'], "--runs must be a whole number ≥ 1, got '2.5'");
  usageError(['m.onnx', '--runs='], "--runs must be a whole number ≥ 1, got ''");
  usageError(['m.onnx', '--scale', '0'], "--scale must be a number > 0, got '0'");
  usageError(['m.onnx', '--scale', 'Infinity'], "--scale must be a number > 0, got 'Infinity'");
  usageError(['m.onnx', '--mean', '1,x,3'], "--mean takes comma-separated numbers, got 'x'");
  usageError(['m.onnx', '--mode', 'slow'], "--mode must be fast or exact, got 'slow'");
});

test('a repeated option checks every value, not only the first', () => {
  const strict = { ...spec, options: { size: list(wholeNumber(0)) } };
  assert.deepEqual(parseOptions(strict, ['m', '--size', '1', '--size', '2']).options.size, [1, 2]);
  assert.throws(() => parseOptions(strict, ['m', '--size', '1', '--size', '-2']), /--size must be a whole number ≥ 0, got '-2'/);
});

test('positional arguments are counted; --help wins wherever it stands', () => {
  usageError([], 'no model file given');
  usageError(['--json'], 'no model file given');
  usageError(['a.onnx', 'b.onnx'], 'one model file expected, got 2');
  assert.throws(() => parseOptions(spec, ['--runs', 'many', '--help']), /--runs must be/, 'options are read in order');
  assert.throws(() => parseOptions(spec, ['-h']), HelpRequested);
  assert.throws(() => parseOptions(spec, ['m.onnx', '--help', '--bogus']), HelpRequested);
});

function capture(): CommandIo & { out: string; err: string } {
  const io = { out: '', err: '', stdout: (t: string) => { io.out += t; }, stderr: (t: string) => { io.err += t; } };
  return io;
}

test('the error formatter: usage errors exit 2 with the usage, failures exit 1 with one line, help exits 0', () => {
  const usage = capture();
  assert.equal(reportError(new UsageError('unknown option --jsn'), usage, spec.usage), 2);
  assert.equal(usage.err, `model-lens: unknown option --jsn\n${spec.usage}\n`);
  assert.equal(usage.out, '');

  const bad = capture();
  assert.equal(reportError(new ModelError('truncated', 'ends early', { file: 'm.onnx', offset: 12 }), bad, spec.usage), 1);
  assert.equal(bad.err, 'model-lens: m.onnx (byte 12): ends early\n', 'the file and the place, no usage');

  const multi = capture();
  assert.equal(reportError(new Error('first line\n    at somewhere'), multi), 1);
  assert.equal(multi.err, 'model-lens: first line\n');

  const bug = capture();
  assert.equal(reportError(new TypeError('x is undefined'), bug), 1);
  assert.equal(bug.err, 'model-lens: unexpected error: x is undefined\n');

  const help = capture();
  assert.equal(reportError(new HelpRequested(), help, spec.usage), 0);
  assert.equal(help.out, `${spec.usage}\n`);
  assert.equal(help.err, '');
});
