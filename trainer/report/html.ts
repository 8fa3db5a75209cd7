// What the report's sections share to write HTML: the one escaping function
// (hono's, the one hono/jsx escapes the charts' text with), a chart drawn by
// a dashboard/charts component as a string, and a chart with its caption.
import { escapeToBuffer } from 'hono/utils/html';

/** Text or an attribute value made safe for HTML. */
export function esc(value: unknown): string {
  const buffer: [string] = [''];
  escapeToBuffer(String(value), buffer);
  return buffer[0];
}

/** A chart component's element as markup (hono/jsx elements stringify synchronously). */
export const draw = (element: unknown): string => String(element);

/** A chart under its caption; the caption is text and is escaped here. */
export const figure = (chart: string, caption: string): string =>
  chart ? `<figure><figcaption>${esc(caption)}</figcaption>${chart}</figure>` : '';
