/** Per-row figures along axis 0 (output channels), shared by the value and code accumulators. */
import type { RowStats } from './stats-types.js';

/** Per-row figures are kept for up to this many rows. */
const MAX_ROWS = 1 << 22;

/** Rows of a tensor that get per-row figures: axis 0 of a ≥2-D shape with ≥2 rows of ≥2 values, else none. */
export function rowLayout(count: number, shape: number[]): { rows: number; rowSize: number } {
  const rows = shape.length >= 2 ? shape[0] : 0;
  // Rows of one value ([N, 1] columns) say nothing about channels and cost a kernel call each.
  if (rows >= 2 && rows <= MAX_ROWS && count >= 2 * rows) return { rows, rowSize: count / rows };
  return { rows: 0, rowSize: 0 };
}

/** Per-row minima and maxima of the finite values (±Infinity where a row has none) and zero counts. */
export interface RowFigures {
  rows: number;
  rowSize: number;
  rowMin: Float64Array;
  rowMax: Float64Array;
  rowZeros: Float64Array;
}

export function newRowFigures(rows: number, rowSize: number): RowFigures {
  return {
    rows, rowSize, rowMin: new Float64Array(rows).fill(Infinity), rowMax: new Float64Array(rows).fill(-Infinity), rowZeros: new Float64Array(rows),
  };
}

/** The RowStats of per-row figures: dead rows, range spread, and the rows themselves when few. */
export function rowStatsOf({ rows, rowSize, rowMin, rowMax, rowZeros }: RowFigures): RowStats {
  let dead = 0;
  const deadRowIndices: number[] = [];
  let minRange = Infinity, maxRange = -Infinity, minPositive = Infinity, positive = 0;
  for (let r = 0; r < rows; r++) {
    if (rowZeros[r] === rowSize) {
      dead++;
      if (deadRowIndices.length < 32) deadRowIndices.push(r);
    }
    if (rowMax[r] < rowMin[r]) continue; // no finite value in the row
    const range = rowMax[r] - rowMin[r];
    if (range < minRange) minRange = range;
    if (range > maxRange) maxRange = range;
    if (range > 0) { positive++; if (range < minPositive) minPositive = range; }
  }
  const out: RowStats = {
    axis: 0, rows, rowSize, deadRows: dead, deadRowIndices,
    minRange: Number.isFinite(minRange) ? minRange : NaN,
    maxRange: Number.isFinite(maxRange) ? maxRange : NaN,
    rangeRatio: positive >= 2 ? maxRange / minPositive : null,
  };
  if (rows <= 1024) {
    const mins = new Array<number>(rows), maxs = new Array<number>(rows);
    for (let r = 0; r < rows; r++) {
      const a = rowMin[r], b = rowMax[r];
      mins[r] = a - a === 0 ? a + 0 : NaN;
      maxs[r] = b - b === 0 ? b + 0 : NaN;
    }
    out.rowMin = mins;
    out.rowMax = maxs;
  }
  return out;
}
