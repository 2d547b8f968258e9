import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { ModelError } from '../../ir/errors.js';
import type { FileRange, Quantization, Tensor, TensorData } from '../../ir/tensor.js';
import { resolveInsideFolder } from '../../io/paths.js';
import { FileRangesData } from '../../io/tensor-data.js';
import { MANIFEST_DTYPES, QUANTIZED_DTYPES } from './dtypes.js';
import { checkAborted, isObject } from './json.js';
import { GroupReader, LengthPrefixedStringsData, type ShardFile } from './shard-reader.js';

/** The weights of a TF.js manifest, laid over their shard files. Nothing has been read yet. */
export interface ManifestWeights {
  /** Every manifest entry, in manifest order. */
  tensors: Tensor[];
  /** By weight name (a later entry with the same name wins, as in TF.js). */
  byName: Map<string, Tensor>;
  /** Absolute paths of every shard, in manifest order. */
  shardFiles: string[];
  /** Facts worth telling the user that do not stop the model from opening (e.g. extra shard bytes). */
  warnings: string[];
  /** Number of weight groups. */
  groupCount: number;
}

interface WeightSpec {
  name: string;
  shape: number[];
  count: number;
  field: string;
  dtype: Tensor['dtype'];
  logicalType?: Tensor['dtype'];
  quantization?: Quantization;
  docString?: string;
  /** Bytes per element of the stored form; 0 for strings (sized by reading their length prefixes). */
  bytesPerElement: number;
}

/**
 * Resolves a TF.js `weightsManifest` (array of groups `{paths, weights}`) to lazy tensors. Each
 * group's weights lie back to back over the concatenation of that group's shard files, so a weight
 * may span two shards. Shards are only stat'ed (string weights excepted: their sizes are read from
 * 4-byte length prefixes). `field` is how the manifest is named in messages (`weightsManifest`).
 */
export async function loadWeightsManifest(modelFile: string, manifest: unknown, field: string, signal?: AbortSignal): Promise<ManifestWeights> {
  if (!Array.isArray(manifest)) {
    throw new ModelError('malformed', 'the weights manifest must be an array of weight groups', { file: modelFile, field });
  }
  const groups: { files: ShardFile[]; specs: WeightSpec[]; field: string }[] = [];
  const missing: { written: string; field: string }[] = [];
  const shardFiles: string[] = [];
  for (let g = 0; g < manifest.length; g++) {
    const gField = `${field}[${g}]`;
    const group = manifest[g];
    if (!isObject(group)) throw new ModelError('malformed', 'a weight group must be an object with `paths` and `weights`', { file: modelFile, field: gField });
    const paths = group.paths ?? [];
    const weights = group.weights ?? [];
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
      throw new ModelError('malformed', '`paths` must be an array of file names', { file: modelFile, field: `${gField}.paths` });
    }
    if (!Array.isArray(weights)) throw new ModelError('malformed', '`weights` must be an array', { file: modelFile, field: `${gField}.weights` });
    const files: ShardFile[] = [];
    for (let i = 0; i < paths.length; i++) {
      const pField = `${gField}.paths[${i}]`;
      try {
        const resolved = resolveInsideFolder(modelFile, paths[i] as string, pField);
        files.push({ path: resolved, written: paths[i] as string, size: await fileSize(modelFile, resolved, pField) });
        shardFiles.push(resolved);
      } catch (e) {
        if (e instanceof ModelError && e.code === 'missing-file') missing.push({ written: paths[i] as string, field: pField });
        else throw e;
      }
    }
    groups.push({ files, specs: weights.map((w, i) => parseSpec(modelFile, w, `${gField}.weights[${i}]`)), field: gField });
    checkAborted(signal, modelFile);
  }
  if (missing.length) {
    const names = missing.map((m) => `'${m.written}'`);
    const detail = missing.length === 1
      ? `weight file ${names[0]} is missing (expected next to the model file)`
      : `${missing.length} weight files are missing: ${names.join(', ')} (expected next to the model file)`;
    throw new ModelError('missing-file', detail, { file: modelFile, field: missing[0].field });
  }

  const tensors: Tensor[] = [];
  const warnings: string[] = [];
  for (let g = 0; g < groups.length; g++) {
    const { files, specs, field: gField } = groups[g];
    const reader = new GroupReader(files);
    const held = reader.totalBytes;
    let offset = 0;
    for (const spec of specs) {
      let byteLength: number;
      if (spec.bytesPerElement === 0) {
        byteLength = await stringRegionLength(modelFile, reader, offset, spec, gField, signal);
      } else {
        byteLength = spec.count * spec.bytesPerElement;
      }
      if (offset + byteLength > held) throw shortShard(modelFile, files, spec, g, offset, byteLength, held, gField);
      const ranges = reader.rangesOf(offset, byteLength);
      tensors.push(makeTensor(modelFile, spec, ranges, byteLength));
      offset += byteLength;
    }
    if (held > offset) {
      warnings.push(`weight group ${g}: its shard files hold ${held} bytes, ${held - offset} more than the manifest describes (${offset}); the extra bytes are ignored`);
    }
    checkAborted(signal, modelFile);
  }
  const byName = new Map<string, Tensor>();
  for (const t of tensors) byName.set(t.name, t);
  return { tensors, byName, shardFiles, warnings, groupCount: groups.length };
}

async function fileSize(modelFile: string, resolved: string, field: string): Promise<number> {
  try {
    const st = await stat(resolved);
    if (!st.isFile()) throw new ModelError('unreadable', `'${path.basename(resolved)}' is not a regular file`, { file: modelFile, field });
    return st.size;
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError('unreadable', `cannot read '${path.basename(resolved)}' (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file: modelFile, field });
  }
}

function parseSpec(file: string, w: unknown, field: string): WeightSpec {
  if (!isObject(w)) throw new ModelError('malformed', 'a manifest entry must be an object with name, shape and dtype', { file, field });
  if (typeof w.name !== 'string') throw new ModelError('malformed', 'the entry has no `name`', { file, field });
  const name = w.name;
  const shape = w.shape;
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new ModelError('malformed', '`shape` must be an array of non-negative integers', { file, field: `${field}.shape`, tensor: name });
  }
  const dims = shape as number[];
  const count = dims.reduce((a, d) => a * d, 1);
  if (!Number.isSafeInteger(count)) throw new ModelError('limit', `the weight has too many elements (${dims.join('×')})`, { file, field, tensor: name });
  const declared = MANIFEST_DTYPES[String(w.dtype)];
  if (!declared) {
    throw new ModelError('unsupported', `unsupported weight dtype '${String(w.dtype)}' (TF.js stores float32, int32, bool, string, complex64)`, { file, field: `${field}.dtype`, tensor: name });
  }
  const base = { name, shape: dims, count, field };
  const q = w.quantization;
  if (q === undefined || q === null) return { ...base, dtype: declared.dtype, bytesPerElement: declared.bytes };
  if (!isObject(q)) throw new ModelError('malformed', '`quantization` must be an object', { file, field: `${field}.quantization`, tensor: name });
  const stored = QUANTIZED_DTYPES[String(q.dtype)];
  if (!stored) {
    throw new ModelError('unsupported', `unsupported quantization dtype '${String(q.dtype)}' (TF.js stores uint8, uint16 or float16)`, { file, field: `${field}.quantization.dtype`, tensor: name });
  }
  if (declared.dtype !== 'float32' && declared.dtype !== 'int32') {
    throw new ModelError('unsupported', `a ${declared.dtype} weight cannot be quantized`, { file, field: `${field}.quantization`, tensor: name });
  }
  if (stored.dtype === 'float16') {
    if (declared.dtype !== 'float32') throw new ModelError('unsupported', 'float16 storage is only defined for float32 weights', { file, field: `${field}.quantization`, tensor: name });
    return { ...base, dtype: 'float16', logicalType: 'float32', bytesPerElement: 2, docString: 'TF.js float16 storage of a float32 weight' };
  }
  const scale = q.scale;
  const min = q.min;
  if (typeof scale !== 'number' || typeof min !== 'number' || !Number.isFinite(scale) || !Number.isFinite(min)) {
    throw new ModelError('malformed', `${stored.dtype} quantization needs numeric \`scale\` and \`min\``, { file, field: `${field}.quantization`, tensor: name });
  }
  // real = q·scale + min = scale·(q − zeroPoint) with zeroPoint = −min/scale. A zero scale (all
  // values equal) has no finite zero point; the docString keeps the exact parameters either way.
  const zeroPoint = scale === 0 ? 0 : -min / scale;
  return {
    ...base,
    dtype: stored.dtype,
    logicalType: declared.dtype,
    bytesPerElement: stored.bytes,
    quantization: { scale: [scale], zeroPoint: [zeroPoint], origin: 'tfjs-affine' },
    docString: `TF.js ${stored.dtype} quantization: real = q × ${scale} + ${min}${declared.dtype === 'int32' ? ', rounded' : ''}`,
  };
}

function makeTensor(modelFile: string, spec: WeightSpec, ranges: FileRange[], byteLength: number): Tensor {
  const data: TensorData = spec.dtype === 'string' ? new LengthPrefixedStringsData(ranges, spec.count, spec.name, modelFile) : new FileRangesData(ranges);
  const location = ranges.length
    ? ranges.map((r) => `${path.basename(r.path)} @ ${r.offset}`).join(' + ')
    : 'empty';
  const t: Tensor = {
    name: spec.name,
    dtype: spec.dtype,
    shape: spec.shape,
    elementCount: spec.count,
    byteLength,
    role: 'weight',
    location,
    data,
  };
  if (spec.logicalType) t.logicalType = spec.logicalType;
  if (spec.quantization) t.quantization = spec.quantization;
  if (spec.docString) t.docString = spec.docString;
  return t;
}

/** Byte size of `spec.count` length-prefixed strings starting at `offset` of the group. */
async function stringRegionLength(file: string, reader: GroupReader, offset: number, spec: WeightSpec, gField: string, signal?: AbortSignal): Promise<number> {
  let pos = offset;
  for (let i = 0; i < spec.count; i++) {
    if (pos + 4 > reader.totalBytes) throw shortShard(file, reader.files, spec, -1, offset, pos + 4 - offset, reader.totalBytes, gField);
    const len = await reader.uint32At(pos);
    pos += 4 + len;
    if ((i & 0xfff) === 0xfff) checkAborted(signal, file);
  }
  return pos - offset;
}

function shortShard(file: string, files: ShardFile[], spec: WeightSpec, g: number, start: number, length: number, held: number, gField: string): ModelError {
  const groupNo = g >= 0 ? g : Number(/\[(\d+)\]$/.exec(gField)?.[1] ?? 0);
  if (files.length === 0) {
    return new ModelError('size-mismatch', `weight group ${groupNo} lists no weight files, but weight '${spec.name}' needs ${length} bytes`, { file, field: `${gField}.paths`, tensor: spec.name });
  }
  const last = files[files.length - 1];
  const sizes = files.map((f) => `'${f.written}' ${f.size} B`).join(', ');
  return new ModelError(
    'size-mismatch',
    `shard '${last.written}' is too short: weight '${spec.name}' needs bytes ${start}–${start + length} of weight group ${groupNo}, but the group's shards hold only ${held} bytes (${sizes})`,
    { file, field: `${gField}.paths[${files.length - 1}]`, tensor: spec.name },
  );
}
