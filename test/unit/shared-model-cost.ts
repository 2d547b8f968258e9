// The cost of a model from ../shared/models, for tests that check published counts: the test
// skips when the file is absent, and the model is closed whatever the assertions do.
import type { TestContext } from 'node:test';
import { existsSync } from 'node:fs';
import { computeCost } from '../../src/core/cost/cost.js';
import { openModel } from '../../src/core/formats/index.js';

type Model = Awaited<ReturnType<typeof openModel>>;
type Cost = Awaited<ReturnType<typeof computeCost>>;

/** Opens `file` (or skips `t` when it is absent), runs `check` on its cost and the model, then closes it. */
export async function checkSharedModelCost(t: TestContext, file: string, check: (r: Cost, m: Model) => void | Promise<void>): Promise<void> {
  if (!existsSync(file)) return t.skip(`${file} is absent`);
  const m = await openModel(file);
  try {
    await check(await computeCost(m), m);
  } finally { await m.close(); }
}
