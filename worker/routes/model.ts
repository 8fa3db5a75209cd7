// GET /v1/model — what a client needs to know about the active model: its
// inputs, segments with profiles, each head's kind and held-out metrics (no
// raw weights or trees).
import { Hono } from 'hono';
import type { InputField, InputValues, Model, Segment } from '../../model/index.ts';
import type { AppEnv } from '../env.ts';
import { requireModel } from './model-middleware.ts';

/**
 * Per-input figures keyed by input name, number inputs only: the model stores
 * them in input order to stay small, but the API has always answered (and
 * documents) them by name, which a client can read without the input list.
 */
export function byInputName(inputs: InputField[], values: InputValues): Record<string, number> {
  const out: Record<string, number> = {};
  inputs.forEach((f, j) => {
    const v = values[j];
    if (f.type === 'number' && typeof v === 'number') out[f.name] = v;
  });
  return out;
}

export function publicModel(m: Model) {
  const seg = m.segmentation;
  const pop = seg.population;
  const segment = (s: Segment) => ({ ...s, profile: { ...s.profile, means: byInputName(m.inputs, s.profile.means) } });
  return {
    version: m.version,
    format: m.format,
    training: m.training,
    inputs: m.inputs,
    derived: m.features
      .filter((f) => f.kind === 'numeric' && f.expr !== undefined)
      .map((f) => ({ name: f.name, expr: (f as { expr: string }).expr })),
    segmentation: {
      method: seg.method,
      k: seg.centroids.length,
      segments: seg.segments.map(segment),
      population: { ...pop, means: byInputName(m.inputs, pop.means), stds: byInputName(m.inputs, pop.stds) },
      selection: seg.selection,
    },
    // Each head's kind (and a boosted head's tree count), and the automatic choice's figures when the model has them.
    targets: m.targets.map((t) => ({
      name: t.name,
      positive: t.positive,
      kind: t.kind ?? 'logistic',
      ...(t.kind === 'boosted' ? { trees: t.trees.length } : {}),
      threshold: t.threshold,
      metrics: t.metrics,
      ...(t.choice ? { choice: t.choice } : {}),
    })),
    projection: { explained: m.projection.explained },
  };
}

export const modelRoutes = new Hono<AppEnv>();

modelRoutes.get('/v1/model', requireModel, (c) => {
  const loaded = c.get('model');
  const etag = `"${loaded.version}"`;
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, { etag });
  c.header('etag', etag);
  c.header('cache-control', 'public, max-age=60');
  return c.json(publicModel(loaded.compiled.model));
});
