/**
 * Checks that `text` is a well-formed XML document of the subset our SVG uses (elements,
 * attributes, text, entities; no comments, CDATA or processing instructions): one root,
 * every tag closed in order, every attribute quoted and unique, no raw `<`/`&` in text or
 * attribute values. Returns the element names in document order; throws on the first fault.
 */
export function checkWellFormed(text: string): string[] {
  const names: string[] = [];
  const open: string[] = [];
  let roots = 0;
  let i = 0;
  const NAME = /[A-Za-z_][\w.:-]*/y;
  const ATTR = /\s+([A-Za-z_][\w.:-]*)="([^"<]*)"/y;
  const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;
  const checkText = (t: string): void => {
    if (t.replace(ENTITY, '').includes('&')) throw new Error(`raw & in ${JSON.stringify(t)}`);
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt === -1 ? text.length : lt);
    if (open.length === 0 && chunk.trim() !== '') throw new Error(`text outside the root: ${JSON.stringify(chunk)}`);
    checkText(chunk);
    if (lt === -1) break;
    i = lt + 1;
    const closing = text[i] === '/';
    if (closing) i += 1;
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (m === null) throw new Error(`bad tag at ${lt}`);
    const name = m[0];
    i = NAME.lastIndex;
    if (closing) {
      if (open.pop() !== name) throw new Error(`</${name}> closes the wrong element at ${lt}`);
      if (text[i] !== '>') throw new Error(`bad closing tag at ${lt}`);
      i += 1;
      continue;
    }
    if (open.length === 0) roots += 1;
    names.push(name);
    const seen = new Set<string>();
    for (;;) {
      ATTR.lastIndex = i;
      const a = ATTR.exec(text);
      if (a === null) break;
      if (seen.has(a[1] ?? '')) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
      seen.add(a[1] ?? '');
      checkText(a[2] ?? '');
      i = ATTR.lastIndex;
    }
    if (text.startsWith('/>', i)) {
      i += 2;
    } else if (text[i] === '>') {
      open.push(name);
      i += 1;
    } else {
      throw new Error(`malformed <${name}> at ${lt}: ${JSON.stringify(text.slice(i, i + 20))}`);
    }
  }
  if (open.length > 0) throw new Error(`unclosed <${open.join('>, <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return names;
}

/** How many times `needle` occurs in `text`. */
export function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
