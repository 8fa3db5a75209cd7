// The outer <svg> every chart shares: its class, its viewBox (and, for charts
// drawn at their own size, width and height), and a <title> that names it for
// screen readers.
import type { Child } from 'hono/jsx';

export function ChartFrame(props: {
  /** Classes after `chart`, e.g. `line` or `curve roc`. */
  kind: string;
  id: string;
  title: string;
  width: number;
  height: number;
  /** Draw at width × height instead of scaling to the container (heat maps, bars). */
  fixedSize?: boolean;
  children?: Child;
}) {
  const titleId = `${props.id}-title`;
  return (
    <svg
      class={`chart ${props.kind}`}
      id={props.id}
      viewBox={`0 0 ${props.width} ${props.height}`}
      width={props.fixedSize ? props.width : undefined}
      height={props.fixedSize ? props.height : undefined}
      role="img"
      aria-labelledby={titleId}
    >
      <title id={titleId}>{props.title}</title>
      {props.children}
    </svg>
  );
}
