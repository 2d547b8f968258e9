// Broken and hostile ONNX files: each fails with a ModelError that names the file and the place;
// nothing outside the model's folder is read; no raw RangeError/TypeError ever escapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOnnxModel } from '../../src/core/formats/onnx/index.js';
import { isModelError, type ModelError, type ModelErrorCode } from '../../src/core/ir/errors.js';
import { collectWeights } from '../../src/core/ir/walk.js';
import {
  buildConvNetModel, buildLinearModel, encodeModel, f32, linearSpec, ProtoWriter, withTempDir, writeFixture,
} from '../fixtures/onnx/index.js';

/** Reads the file and every weight; returns the ModelError, or null when it opened. Anything else fails. */
async function outcome(file: string): Promise<ModelError | null> {
  try {
    const m = await readOnnxModel(file);
    for (const t of collectWeights(m)) {
      try {
        if (t.dtype === 'string') await t.data.strings?.();
        else await t.data.read();
      } catch (e) {
        if (!isModelError(e)) throw e;
      }
    }
    return null;
  } catch (e) {
    if (isModelError(e)) return e;
    throw new Error(`${file}: not a ModelError: ${(e as Error)?.stack ?? e}`);
  }
}

async function expectError(file: string, code: ModelErrorCode, ...parts: (string | RegExp)[]): Promise<ModelError> {
  const e = await outcome(file);
  assert.ok(e, `${file} should fail with ${code}`);
  assert.equal(e.code, code, e.message);
  assert.ok(e.message.startsWith(file), `message names the file: ${e.message}`);
  for (const p of parts) assert.match(e.message, typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
  return e;
}

test('truncation at every cut point of the linear model and many of the conv net', async () => {
  await withTempDir('trunc', async (dir) => {
    for (const [name, bytes, step] of [['linear', buildLinearModel(), 1], ['conv', buildConvNetModel(), 37]] as const) {
      let failed = 0, opened = 0;
      for (let cut = 0; cut < bytes.length; cut += step) {
        const file = writeFixture(dir, `${name}-${cut}.onnx`, bytes.subarray(0, cut));
        const e = await outcome(file);
        if (!e) { opened++; continue; }
        failed++;
        assert.ok(['truncated', 'malformed'].includes(e.code), `${cut}: ${e.message}`);
        assert.match(e.message, cut === 0 ? /no graph/ : /\(byte \d+/);
      }
      // A cut between top-level fields leaves a valid (shorter) model; everything else fails.
      assert.ok(failed > opened, `${name}: ${failed} failed, ${opened} opened`);
    }
    const e = await expectError(writeFixture(dir, 'cut.onnx', buildLinearModel().subarray(0, 60)), 'truncated', 'model.graph');
    assert.equal(e.place.file.endsWith('cut.onnx'), true);
  });
});

test('bit flips never produce anything but a model or a ModelError', async () => {
  await withTempDir('flip', async (dir) => {
    const base = buildConvNetModel();
    let seed = 7;
    const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
    const codes = new Map<string, number>();
    for (let trial = 0; trial < 300; trial++) {
      const b = base.slice();
      // Flip bits in the structure (the first 400 bytes hold the nodes) more often than in weights.
      for (let k = 0; k < 1 + (trial % 3); k++) {
        const at = Math.floor(rand() * (rand() < 0.7 ? 400 : b.length));
        b[at] ^= 1 << Math.floor(rand() * 8);
      }
      const e = await outcome(writeFixture(dir, `flip-${trial}.onnx`, b));
      codes.set(e?.code ?? 'opened', (codes.get(e?.code ?? 'opened') ?? 0) + 1);
    }
    assert.ok((codes.get('opened') ?? 0) < 300 && codes.size > 1, JSON.stringify([...codes]));
  });
});

test('lengths past the end, over 2^31, 11-byte varints and wrong wire types', async () => {
  await withTempDir('len', async (dir) => {
    const graphTooLong = new ProtoWriter().int(1, 8).key(7, 2).varint(1_000_000).raw(new Uint8Array(20)).finish();
    await expectError(writeFixture(dir, 'graph-len.onnx', graphTooLong), 'truncated', 'model.graph', 'byte 3', 'length 1000000');

    for (const len of [2 ** 31 + 5, 2 ** 40, 2 ** 63]) {
      const tensor = new ProtoWriter().int(1, 1).int(2, 1).string(8, 'W').key(9, 2).varint(BigInt(len)).raw(f32([2]));
      const graph = new ProtoWriter().string(2, 'g').message(5, tensor);
      const bytes = new ProtoWriter().int(1, 8).message(7, graph).finish();
      await expectError(writeFixture(dir, `big-${len}.onnx`, bytes), 'malformed', 'model.graph.initializer[0]', /length \d+/);
    }

    const varint11 = new ProtoWriter().key(1, 0).raw(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).finish();
    await expectError(writeFixture(dir, 'varint11.onnx', varint11), 'malformed', 'varint longer than 10 bytes', 'model.ir_version', 'byte 1');

    const wrongWire = new ProtoWriter().string(1, 'eight').finish();
    await expectError(writeFixture(dir, 'wire.onnx', wrongWire), 'malformed', 'model.ir_version', 'wire type 2');

    const group = new ProtoWriter().key(30, 3).finish();
    await expectError(writeFixture(dir, 'group.onnx', group), 'malformed', /groups/);

    await expectError(writeFixture(dir, 'json.onnx', new TextEncoder().encode('{"format": "graph-model"}\n')), 'malformed');
    await expectError(writeFixture(dir, 'empty.onnx', new Uint8Array(0)), 'malformed', 'no graph');
    await expectError(join(dir, 'absent.onnx'), 'not-found');
  });
});

/** Builds `levels` If nodes each holding the next graph, from the inside out without copying. */
function nestingBomb(levels: number): Uint8Array {
  const prefixes: Uint8Array[] = [];
  let inner = 0;
  for (let l = 0; l < levels; l++) {
    const attrHead = new ProtoWriter().string(1, 'then_branch').int(20, 5).key(6, 2).varint(inner).finish();
    const attrLen = attrHead.length + inner;
    const nodeHead = new ProtoWriter().string(4, 'If').key(5, 2).varint(attrLen).finish();
    const nodeLen = nodeHead.length + attrLen;
    const graphHead = new ProtoWriter().key(1, 2).varint(nodeLen).finish();
    prefixes.push(concat(graphHead, nodeHead, attrHead));
    inner = graphHead.length + nodeLen;
  }
  const top = new ProtoWriter().int(1, 8).key(7, 2).varint(inner).finish();
  return concat(top, ...prefixes.reverse());
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

test('a nesting bomb 10,000 levels deep stops at the depth limit; shallow nesting still opens', async () => {
  await withTempDir('bomb', async (dir) => {
    const e = await expectError(writeFixture(dir, 'bomb.onnx', nestingBomb(10_000)), 'limit', 'nested deeper than 100 levels', 'model.graph.node[0].attribute[0].g.node[0]');
    assert.ok(e.message.length < 4000, 'the path in the message stays readable');
    // Sequence types nested 10,000 deep in a graph input.
    let type = new ProtoWriter().message(1, new ProtoWriter().int(1, 1));
    for (let i = 0; i < 10_000; i++) type = new ProtoWriter().message(4, new ProtoWriter().message(1, type));
    const graph = new ProtoWriter().string(2, 'g').message(11, new ProtoWriter().string(1, 'x').message(2, type));
    await expectError(writeFixture(dir, 'types.onnx', new ProtoWriter().int(1, 8).message(7, graph).finish()), 'limit', 'model.graph.input[0].type');

    const ok = await readOnnxModel(writeFixture(dir, 'ten.onnx', nestingBomb(10)));
    let depth = 0;
    for (let g = ok.graph; g.nodes.length && g.nodes[0].subgraphs.length; g = g.nodes[0].subgraphs[0]) depth++;
    assert.equal(depth, 10);
    const tight = await outcome(writeFixture(dir, 'ten-again.onnx', nestingBomb(10)));
    assert.equal(tight, null);
    await assert.rejects(readOnnxModel(join(dir, 'ten.onnx'), { limits: { maxDepth: 12 } }), (err: unknown) => isModelError(err) && err.code === 'limit');
  });
});

test('absurd dims: element-count overflow and negative dims name the field path', async () => {
  await withTempDir('dims', async (dir) => {
    const spec = linearSpec();
    spec.graph.initializers = [{ name: 'W', dtype: 'float32', dims: [1, 1], raw: f32([2]) }, { name: 'B', dtype: 'float32', dims: [2 ** 40, 2 ** 40], raw: f32([1]) }];
    await expectError(writeFixture(dir, 'overflow.onnx', encodeModel(spec)), 'limit', 'model.graph.initializer[1].dims', /elements/);
    spec.graph.initializers[1].dims = [-1];
    await expectError(writeFixture(dir, 'negative.onnx', encodeModel(spec)), 'malformed', 'model.graph.initializer[1].dims', 'negative dimension -1');
    // Dims that disagree with the data: the graph opens, reading the tensor says why it cannot.
    spec.graph.initializers[1].dims = [1000];
    const m = await readOnnxModel(writeFixture(dir, 'mismatch.onnx', encodeModel(spec)));
    const b = m.graph.weights[1];
    await assert.rejects(b.data.read(), (e: unknown) => isModelError(e) && e.code === 'size-mismatch' && /raw_data holds 4 bytes/.test(e.message) && e.message.includes("tensor 'B'"));
  });
});

test('external data that escapes the folder or is missing is refused before anything is read', async () => {
  await withTempDir('escape', async (root) => {
    const dir = join(root, 'model');
    mkdirSync(dir);
    writeFileSync(join(root, 'secret.bin'), f32([42]));
    const withLocation = (location: string, name: string) => {
      const spec = linearSpec();
      spec.graph.initializers![0] = { name: 'W', dtype: 'float32', dims: [1, 1], external: { location, offset: 0, length: 4 } };
      return writeFixture(dir, name, encodeModel(spec));
    };
    await expectError(withLocation('../../etc/passwd', 'a.onnx'), 'path-escape', 'model.graph.initializer[0].external_data', '../../etc/passwd');
    await expectError(withLocation('../secret.bin', 'b.onnx'), 'path-escape', 'leaves the model folder');
    await expectError(withLocation('/etc/passwd', 'c.onnx'), 'path-escape', 'absolute');
    await expectError(withLocation('C:\\Windows\\win.ini', 'd.onnx'), 'path-escape', 'absolute');
    await expectError(withLocation('..\\..\\x', 'e.onnx'), 'path-escape', 'leaves the model folder');
    await expectError(withLocation('file:///etc/passwd', 'f.onnx'), 'path-escape', 'URL');
    symlinkSync(join(root, 'secret.bin'), join(dir, 'link.bin'));
    await expectError(withLocation('link.bin', 'g.onnx'), 'path-escape', 'link that points outside');
    await expectError(withLocation('weights.data', 'h.onnx'), 'missing-file', "'weights.data' is missing");
    writeFileSync(join(dir, 'short.data'), new Uint8Array(2));
    await expectError(withLocation('short.data', 'i.onnx'), 'truncated', "needs bytes 0..4 of 'short.data' but that file has 2 bytes");
    // A link that stays inside the folder is fine.
    writeFileSync(join(dir, 'real.data'), f32([2]));
    symlinkSync(join(dir, 'real.data'), join(dir, 'inside-link.data'));
    const m = await readOnnxModel(withLocation('inside-link.data', 'j.onnx'));
    assert.deepEqual(Array.from(new Float32Array((await m.graph.weights[0].data.read()).buffer)), [2]);
  });
});

test('unknown fields are skipped; an aborted signal cancels', async () => {
  await withTempDir('unknown', async (dir) => {
    const bytes = buildLinearModel();
    const extra = new ProtoWriter().raw(bytes).int(99, 5).string(100, 'future').finish();
    const m = await readOnnxModel(writeFixture(dir, 'future.onnx', extra));
    assert.equal(m.graph.nodes.length, 2);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(readOnnxModel(join(dir, 'future.onnx'), { signal: ac.signal }), (e: unknown) => isModelError(e) && e.code === 'cancelled');
    // A big graph gives the event loop turns while it is read, so an abort from a timer lands.
    const node = new ProtoWriter().message(1, new ProtoWriter().string(4, 'Relu')).finish();
    const nodes = new Uint8Array(node.length * 400_000);
    for (let i = 0; i < 400_000; i++) nodes.set(node, i * node.length);
    const big = new ProtoWriter().int(1, 8).key(7, 2).varint(nodes.length).raw(nodes).finish();
    const file = writeFixture(dir, 'big.onnx', big);
    const late = new AbortController();
    let ticks = 0;
    const timer = setInterval(() => { if (++ticks === 1) late.abort(); }, 0);
    try {
      await assert.rejects(readOnnxModel(file, { signal: late.signal }), (e: unknown) => isModelError(e) && e.code === 'cancelled' && e.message.includes('big.onnx'));
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks >= 1);
  });
});
