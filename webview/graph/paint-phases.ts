// How long the graph view's first paint took, phase by phase, from its performance marks.

/** The time between this view's performance marks of its latest open (graph model, layout, first draw). */
export function paintPhases(): { graphModelMs: number; layoutMs: number; drawMs: number } {
  const at = (name: string) => performance.getEntriesByName(name, 'mark').at(-1)?.startTime ?? 0;
  const [open, model, scene, frame] = ['graph:open', 'graph:model', 'graph:scene', 'graph:frame'].map(at) as [number, number, number, number];
  return { graphModelMs: model - open, layoutMs: scene - model, drawMs: frame - scene };
}
