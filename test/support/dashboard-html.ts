// Reading dashboard HTML in worker tests with workerd's own streaming HTML
// parser (HTMLRewriter), so assertions see elements and attributes, not
// substrings that happen to match.

export interface Element {
  tag: string;
  attrs: Record<string, string>;
  text: string;
}

/** Every element matching `selector`, with its attributes and its text content. */
export async function select(html: string, selector: string): Promise<Element[]> {
  const found: Element[] = [];
  await new HTMLRewriter()
    .on(selector, {
      element(el) {
        const entry: Element = {
          tag: el.tagName,
          attrs: Object.fromEntries([...(el.attributes as unknown as Iterable<[string, string]>)]),
          text: '',
        };
        found.push(entry);
      },
      text(t) {
        found[found.length - 1].text += t.text;
      },
    })
    .transform(new Response(html))
    .text();
  return found;
}

export async function selectOne(html: string, selector: string): Promise<Element> {
  const all = await select(html, selector);
  if (all.length !== 1) throw new Error(`expected one ${selector}, found ${all.length}`);
  return all[0];
}

/** Text with entities decoded the way a browser shows it (enough for these pages). */
export const decoded = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
