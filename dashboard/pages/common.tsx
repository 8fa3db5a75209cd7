// Pieces several pages share: a segment's colour swatch, the map legend and
// the map itself built from the model.
import { projectPoint, type CompiledModel, type Segment } from '../../model/index.ts';
import { SegmentMap } from '../charts/map.tsx';
import { Swatch } from '../charts/swatch.tsx';
import { fmtPercent } from '../format.ts';

export { Swatch };

export function SegmentLegend(props: { segments: Segment[]; highlight?: number }) {
  return (
    <ol class="legend">
      {props.segments.map((s) => (
        <li class={s.id === props.highlight ? 'current' : undefined}>
          <Swatch id={s.id} /> <span class="legend-num">{s.id + 1}</span> {s.label}{' '}
          <span class="muted">({fmtPercent(s.share)})</span>
        </li>
      ))}
    </ol>
  );
}

/** Centroids are stored in the encoded space; the map needs them projected like any customer. */
export function projectedCentroids(cm: CompiledModel) {
  return cm.model.segmentation.centroids.map((c, id) => {
    const [x, y] = projectPoint(cm, c);
    return { id, x, y };
  });
}

export function ModelMap(props: { cm: CompiledModel; id: string; point?: [number, number]; highlight?: number }) {
  const { cm } = props;
  const segments = cm.model.segmentation.segments;
  const [e1, e2] = cm.model.projection.explained;
  return (
    <figure class="map-figure">
      <SegmentMap
        id={props.id}
        title={props.point ? 'Map of customers by segment, with this customer ringed' : 'Map of customers by segment'}
        sample={cm.model.projection.sample}
        centroids={projectedCentroids(cm)}
        point={props.point}
      />
      <figcaption>
        Each dot is a training customer, coloured by segment; numbered circles are segment centres. Customers close
        together are alike. The two axes are the directions in which customers differ most ({fmtPercent(e1)} and{' '}
        {fmtPercent(e2)} of all variation).
        <SegmentLegend segments={segments} highlight={props.highlight} />
      </figcaption>
    </figure>
  );
}
