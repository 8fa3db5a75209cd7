// GET /v1/model — what a client needs to know about the active model: its
// inputs, segments with profiles, and held-out metrics (no raw weights).
import { Hono } from 'hono';
import type { Model } from '../../model/types.ts';
import type { AppEnv } from '../env.ts';
import { requireModel } from './model-middleware.ts';

export function publicModel(m: Model) {
  const seg = m.segmentation;
  return {
    version: m.version,
    format: m.format,
    training: m.training,
    inputs: m.inputs,
    derived: m.features.filter((f) => f.kind === 'numeric' && f.expr !== undefined).map((f) => ({ name: f.name, expr: (f as { expr: string }).expr })),
    segmentation: {
      method: seg.method,
      k: seg.centroids.length,
      segments: seg.segments,
      population: seg.population,
      selection: seg.selection,
    },
    targets: m.targets.map((t) => ({ name: t.name, positive: t.positive, threshold: t.threshold, metrics: t.metrics })),
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
