// Segment colours are CSS classes (`seg-0` … `seg-9`, see dashboard.css), so
// a page never needs an inline style; past ten segments they repeat.
export const SEGMENT_COLOURS = 10;
export const segClass = (id: number) => `seg-${((id % SEGMENT_COLOURS) + SEGMENT_COLOURS) % SEGMENT_COLOURS}`;
