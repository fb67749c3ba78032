/**
 * A strict little XML reader for the report tests: elements, quoted
 * attributes, text, the five predefined entities and numeric references, an
 * optional prolog. Anything else (an unclosed or mismatched tag, a bare `&` or
 * `<`, text outside the root) throws, naming the offset: "well-formed" is
 * checked by parsing, not by looking for a file.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  return s.replace(/&([^;]*);|[&<]/g, (m, name: string | undefined) => {
    if (name === undefined) throw new Error(`bare ${m} near offset ${at}`);
    if (ENTITIES[name]) return ENTITIES[name];
    const n = /^#x([0-9a-f]+)$/i.exec(name) ? parseInt(name.slice(2), 16) : /^#\d+$/.test(name) ? Number(name.slice(1)) : NaN;
    if (Number.isNaN(n)) throw new Error(`unknown entity &${name}; near offset ${at}`);
    return String.fromCodePoint(n);
  });
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  const space = (): void => {
    while (/\s/.test(xml[i] ?? '')) i++;
  };
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) fail('unterminated prolog');
    i = end + 2;
  }
  const element = (): XmlElement => {
    if (xml[i] !== '<') fail('expected <');
    i++;
    const name = /^[A-Za-z_][\w.-]*/.exec(xml.slice(i))?.[0] ?? fail('expected a tag name');
    i += name.length;
    const el: XmlElement = { name, attributes: {}, children: [], text: '' };
    for (;;) {
      space();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      const attr = /^([A-Za-z_][\w.:-]*)="([^"]*)"/.exec(xml.slice(i)) ?? fail('expected name="value"');
      const [all, key, value] = attr as unknown as [string, string, string];
      if (key in el.attributes) fail(`duplicate attribute ${key}`);
      el.attributes[key] = decode(value, i);
      i += all.length;
    }
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) fail(`unclosed <${name}>`);
      el.text += decode(xml.slice(i, lt), i);
      i = lt;
      if (xml.startsWith(`</${name}>`, i)) {
        i += name.length + 3;
        return el;
      }
      if (xml.startsWith('</', i)) fail(`mismatched close tag inside <${name}>`);
      el.children.push(element());
    }
  };
  space();
  const root = element();
  space();
  if (i !== xml.length) fail('text after the root element');
  return root;
}

/** Every element named `name` under `el`, depth first. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => findAll(c, name))];
}
