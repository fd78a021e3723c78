import { Parser } from 'htmlparser2';
import { SimHttpError } from '../sim-error.ts';

export interface ElementNode {
  kind: 'element';
  name: string;
  attrs: Record<string, string>;
  children: MarkupNode[];
}
export interface TextNode {
  kind: 'text';
  text: string;
}
export type MarkupNode = ElementNode | TextNode;

/** MessageML (or PresentationML) Symphony would refuse: answered 400 like the agent does. */
export class InvalidMessageMLError extends SimHttpError {
  override readonly code: string = 'SIM_INVALID_MESSAGEML';
  constructor(message: string) {
    super(400, message);
  }
}

/** htmlparser2 silently drops a closing tag that matches nothing open; Symphony rejects it, so we do too. */
class StrictParser extends Parser {
  constructor(
    handler: ConstructorParameters<typeof Parser>[0],
    private readonly input: string,
    private readonly openNames: string[],
    private readonly fail: (msg: string) => void,
  ) {
    super(handler, { xmlMode: true, decodeEntities: true, recognizeSelfClosing: true });
  }

  /** True while htmlparser2 closes a `<tag/>` (it reports those as "implied" closes). */
  selfClosing = false;

  override onselfclosingtag(endIndex: number): void {
    this.selfClosing = true;
    try {
      super.onselfclosingtag(endIndex);
    } finally {
      this.selfClosing = false;
    }
  }

  override onclosetag(start: number, endIndex: number): void {
    const name = this.input.slice(start, endIndex);
    const top = this.openNames[this.openNames.length - 1];
    if (top !== name) {
      this.fail(
        top === undefined
          ? `Unexpected closing tag </${name}>`
          : `The element type "${top}" must be terminated by the matching end-tag "</${top}>", found "</${name}>"`,
      );
    }
    super.onclosetag(start, endIndex);
  }
}

/** Parse XML-ish markup into a small tree, rejecting anything not well formed. */
export function parseMarkup(input: string): MarkupNode[] {
  const roots: MarkupNode[] = [];
  const stack: ElementNode[] = [];
  const openNames: string[] = [];
  let error: string | undefined;
  const fail = (msg: string): void => {
    error ??= msg;
  };
  const append = (node: MarkupNode): void => {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else roots.push(node);
  };
  const parser = new StrictParser(
    {
      onopentag(name, attribs) {
        const el: ElementNode = { kind: 'element', name, attrs: { ...attribs }, children: [] };
        append(el);
        stack.push(el);
        openNames.push(name);
      },
      onclosetag(name, isImplied) {
        if (isImplied && !parser.selfClosing)
          fail(`The element type "${name}" must be terminated by the matching end-tag "</${name}>"`);
        stack.pop();
        openNames.pop();
      },
      ontext(text) {
        const parent = stack[stack.length - 1];
        const last = parent ? parent.children[parent.children.length - 1] : roots[roots.length - 1];
        if (last?.kind === 'text') last.text += text;
        else append({ kind: 'text', text });
      },
      onprocessinginstruction(name) {
        if (!name.toLowerCase().startsWith('?xml')) fail('Processing instructions are not allowed');
      },
      oncdatastart() {
        fail('CDATA sections are not allowed');
      },
    },
    input,
    openNames,
    fail,
  );
  parser.write(input);
  parser.end();
  if (error) throw new InvalidMessageMLError(`Invalid MessageML: ${error}`);
  if (input.includes('<!DOCTYPE') || input.includes('<!doctype')) {
    throw new InvalidMessageMLError('Invalid MessageML: DOCTYPE is not allowed');
  }
  return roots;
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTR_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': '&quot;' };

export function escapeText(s: string): string {
  return s.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

export function escapeAttr(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

export function openTag(
  name: string,
  attrs: Record<string, string | undefined>,
  selfClosing = false,
): string {
  let out = `<${name}`;
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out += ` ${k}="${escapeAttr(v)}"`;
  return out + (selfClosing ? '/>' : '>');
}

/** textContent of a tree: every text node concatenated, nothing between elements. */
export function textContent(nodes: MarkupNode[]): string {
  let out = '';
  for (const n of nodes) out += n.kind === 'text' ? n.text : textContent(n.children);
  return out;
}
