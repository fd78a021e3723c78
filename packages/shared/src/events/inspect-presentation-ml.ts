import { Tokenizer } from 'htmlparser2';

/** Deeper than any real message (the MessageML walker refuses beyond the same depth). */
const MAX_ELEMENT_DEPTH = 256;
const MAX_SHOWN = 40;

export interface PresentationMlInspection {
  /** Why the markup is not well-formed, or undefined when it is. */
  readonly problem: string | undefined;
  /** Every `data-entity-id` the markup names (mentions, hashtags, cashtags…), in order. */
  readonly entityIds: readonly string[];
}

/**
 * Checks that PresentationML is one well-formed element: every closing tag closes the innermost open element
 * (a stray `</div>` or `</messageML>` would let text escape it), every element is closed, nothing but
 * whitespace stands before or after the root element, no `<!…>` declaration, no deeper than 256 elements.
 * Tokenises only (htmlparser2's Tokenizer, no tree, no recursion): the cost is linear in the length.
 */
export function inspectPresentationMl(pml: string): PresentationMlInspection {
  const stack: string[] = [];
  const entityIds: string[] = [];
  let problem: string | undefined;
  let roots = 0;
  let tagName = '';
  let attribName = '';
  let attribValue = '';
  const fail = (why: string) => {
    problem ??= why;
  };
  const outside = (start: number, end: number) => {
    if (stack.length === 0 && pml.slice(start, end).trim() !== '') fail('text outside the message element');
  };
  const open = () => {
    if (stack.length === 0) {
      roots += 1;
      if (roots > 1) fail(`a second root element <${tagName.slice(0, MAX_SHOWN)}> after the message element`);
    }
    stack.push(tagName);
    if (stack.length > MAX_ELEMENT_DEPTH) fail(`elements nested deeper than ${MAX_ELEMENT_DEPTH}`);
  };
  const tokenizer = new Tokenizer(
    { xmlMode: true, decodeEntities: false },
    {
      onattribdata(start, end) {
        attribValue += pml.slice(start, end);
      },
      onattribentity() {},
      onattribend() {
        if (attribName === 'data-entity-id') entityIds.push(attribValue);
        attribName = '';
        attribValue = '';
      },
      onattribname(start, end) {
        attribName = pml.slice(start, end).toLowerCase();
        attribValue = '';
      },
      oncdata() {
        if (stack.length === 0) fail('CDATA outside the message element');
      },
      onclosetag(start, end) {
        const name = pml.slice(start, end);
        const top = stack.pop();
        if (top === undefined) fail(`a closing tag </${name.slice(0, MAX_SHOWN)}> with no element open`);
        else if (top !== name) fail(`</${name.slice(0, MAX_SHOWN)}> closes <${top.slice(0, MAX_SHOWN)}>`);
      },
      oncomment() {},
      ondeclaration() {
        fail('a <!…> declaration');
      },
      onend() {},
      onopentagend() {
        open();
      },
      onopentagname(start, end) {
        tagName = pml.slice(start, end);
      },
      onprocessinginstruction(start, end) {
        const text = pml.slice(start, end);
        if (text.startsWith('!')) fail('a <!…> declaration');
        else if (stack.length === 0 && roots > 0) fail('a processing instruction after the message element');
      },
      onselfclosingtag() {
        open();
        stack.pop();
      },
      ontext(start, end) {
        outside(start, end);
      },
      ontextentity() {
        if (stack.length === 0) fail('text outside the message element');
      },
    },
  );
  tokenizer.write(pml);
  tokenizer.end();
  const unclosed = stack.at(-1);
  if (unclosed !== undefined) fail(`<${unclosed.slice(0, MAX_SHOWN)}> is never closed`);
  if (problem === undefined && roots === 0) fail('no message element');
  return { problem, entityIds };
}
