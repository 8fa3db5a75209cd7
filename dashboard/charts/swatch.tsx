// A segment's colour as a small dot, for legends and headings beside the
// segment's name (decorative: the name says which segment it is).
import { segClass } from './palette.ts';

export function Swatch(props: { id: number }) {
  return (
    <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
      <circle class={segClass(props.id)} cx="5" cy="5" r="5" />
    </svg>
  );
}
