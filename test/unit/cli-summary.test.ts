// The `model-lens summary` contract other tools build on: JSON keys, counts, exit status and the
// one-line error. Runs the built CLI (dist/cli.js) as a user would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildConvNetModel, buildIfModel, buildLinearModel, buildConstantWeightsModel, withTempDir, writeFixture } from '../fixtures/onnx/index.js';
import { writeTfjsGraphModel, writeTfjsLayersModel } from '../fixtures/tfjs/index.js';

const cli = resolve('dist/cli.js');

function summary(file: string, json = true): { status: number | null; stdout: string; stderr: string; data?: any } {
  const r = spawnSync(process.execPath, [cli, 'summary', file, ...(json ? ['--json'] : [])], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, data: r.status === 0 && json ? JSON.parse(r.stdout) : undefined };
}

test('summary --json of y = 2x + 1 has the contract fields', () => {
  withTempDir('cli-linear', (dir) => {
    const r = summary(writeFixture(dir, 'linear.onnx', buildLinearModel()));
    assert.equal(r.status, 0, r.stderr);
    const s = r.data;
    assert.equal(s.format, 'onnx');
    assert.equal(s.parameters, 2, 'a 1×1 weight and a bias of 1');
    assert.equal(s.parameterBytes, 8);
    assert.equal(typeof s.nodes, 'number');
    assert.equal(s.nodes, s.topLevelNodes);
    assert.deepEqual(Object.values(s.opTypes).reduce((a: number, b) => a + (b as number), 0), s.nodes);
    assert.equal(s.inputs[0].name, 'x');
    assert.equal(s.inputs[0].dtype, 'float32');
    assert.deepEqual(s.inputs[0].shape, ['N', 1], 'symbolic dims stay strings');
    assert.equal(s.outputs.length, 1);
  });
});

test('summary counts subgraph nodes in nodes and not in topLevelNodes', () => {
  withTempDir('cli-if', (dir) => {
    const s = summary(writeFixture(dir, 'if.onnx', buildIfModel())).data;
    assert.ok(s.nodes > s.topLevelNodes, `${s.nodes} > ${s.topLevelNodes}`);
    assert.equal(s.opTypes.If, 1);
  });
});

test('summary counts Constant-node tensors as parameters', () => {
  withTempDir('cli-const', (dir) => {
    const s = summary(writeFixture(dir, 'const.onnx', buildConstantWeightsModel())).data;
    assert.ok(s.opTypes.Constant >= 1);
    assert.ok(s.parameters > 0);
    assert.ok(s.parametersByDtype.float32.tensors >= 1);
  });
});

test('summary of the conv net lists Conv and its weights by dtype', () => {
  withTempDir('cli-conv', (dir) => {
    const s = summary(writeFixture(dir, 'conv.onnx', buildConvNetModel())).data;
    assert.ok(s.opTypes.Conv >= 1);
    const byDtype = Object.values(s.parametersByDtype) as { elements: number; bytes: number }[];
    assert.equal(byDtype.reduce((a, e) => a + e.elements, 0), s.parameters);
    assert.equal(byDtype.reduce((a, e) => a + e.bytes, 0), s.parameterBytes);
  });
});

test('summary reads TF.js graph and layers models under any JSON name', () => {
  withTempDir('cli-tfjs', (dir) => {
    const graph = summary(writeTfjsGraphModel(join(dir, 'g'))).data;
    assert.equal(graph.format, 'tfjs-graph');
    assert.ok(graph.nodes > 0 && graph.parameters > 0);
    const layers = summary(writeTfjsLayersModel(join(dir, 'l'))).data;
    assert.equal(layers.format, 'tfjs-layers');
    assert.ok(layers.nodes > 0 && layers.parameters > 0);
  });
});

test('a file that cannot be opened exits 1 with one line naming the file and place', () => {
  withTempDir('cli-bad', (dir) => {
    const bytes = buildLinearModel();
    const cut = writeFixture(dir, 'cut.onnx', bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = summary(cut);
    assert.equal(r.status, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /cut\.onnx/);
    assert.match(lines[0], /byte \d+/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'root:x:0:0:root:/root:/bin/bash\n');
    const r2 = summary(text);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /notes\.txt.*not an ONNX model or a TensorFlow\.js/);

    const r3 = summary(join(dir, 'missing.onnx'));
    assert.equal(r3.status, 1);
    assert.match(r3.stderr, /missing\.onnx: file not found/);
  });
});

test('text mode prints the header facts', () => {
  withTempDir('cli-text', (dir) => {
    const r = summary(writeFixture(dir, 'linear.onnx', buildLinearModel()), false);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /linear\.onnx {2}\(onnx\)/);
    assert.match(r.stdout, /parameters {3}2 \(2\) in 2 tensors, 8 B/);
    assert.match(r.stdout, /x: float32\[N, 1\]/);
  });
});

const shared = resolve('../shared/models');
test('summary agrees with the shared models README for mnist and silero', { skip: !existsSync(shared) && 'no ../shared/models' }, () => {
  const mnist = summary(join(shared, 'onnx/ort-inference-examples/mnist.onnx')).data;
  assert.equal(mnist.nodes, 12);
  assert.deepEqual(mnist.inputs, [{ name: 'Input3', dtype: 'float32', shape: [1, 1, 28, 28] }]);
  const silero = summary(join(shared, 'onnx/silero-vad-github/silero_vad_16k_op15.onnx')).data;
  assert.equal(silero.nodes, 350);
  assert.equal(silero.topLevelNodes, 121);
  const llama = summary(join(shared, 'onnx/onnxruntime-genai-tests/test_models@f00eed5/tiny-random-LlamaForCausalLM-fp32/model.onnx'));
  assert.equal(llama.status, 1);
  assert.match(llama.stderr, /model\.onnx\.data/);
});
