// Renders untrusted PresentationML into safe DOM nodes.
//
// The markup is parsed with DOMParser (an inert document: nothing in it runs or loads) and rebuilt node
// by node with document.createElement / createTextNode, keeping only allow-listed elements and
// attributes. Markup is never assigned to innerHTML, so a hostile message cannot run script.

/** Elements whose whole subtree is dropped. */
const DROP = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'link',
  'meta',
  'base',
  'template',
  'noscript',
  'svg',
  'math',
  'audio',
  'video',
  'source',
  'track',
  'canvas',
  'head',
  'title',
  'portal',
]);

/** Elements copied as themselves (attributes filtered separately). */
const KEEP = new Set([
  'div',
  'span',
  'p',
  'br',
  'hr',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'strike',
  'del',
  'sub',
  'sup',
  'pre',
  'code',
  'blockquote',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'a',
  'form',
  'input',
  'select',
  'option',
  'textarea',
  'button',
  'label',
]);

/** Classes Symphony uses in PresentationML that the page styles; every other class is dropped. */
const CLASSES = new Set([
  'entity',
  'card',
  'barStyle',
  'cardHeader',
  'cardBody',
  'checkbox-group',
  'radio-group',
  'hashTag',
  'cashTag',
  'primary',
  'secondary',
  'tertiary',
  'destructive',
  'primary-link',
  'destructive-link',
  'info',
  'success',
  'warning',
  'error',
]);

const INPUT_TYPES = new Set([
  'text',
  'checkbox',
  'radio',
  'number',
  'date',
  'time',
  'email',
  'password',
  'hidden',
]);

/** Attributes kept per element (values are copied as text; URLs are checked). */
const ATTRIBUTES = {
  a: ['href', 'title'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan'],
  ol: ['start'],
  input: [
    'name',
    'value',
    'placeholder',
    'checked',
    'required',
    'maxlength',
    'minlength',
    'min',
    'max',
    'disabled',
  ],
  select: ['name', 'required', 'multiple', 'disabled'],
  option: ['value', 'selected', 'disabled'],
  textarea: ['name', 'placeholder', 'required', 'rows', 'maxlength', 'minlength', 'disabled'],
  label: [],
  button: ['disabled'],
};

const ENTITY_KINDS = {
  'com.symphony.user.mention': 'mention',
  'org.symphonyoss.taxonomy': 'hashtag',
  'org.symphonyoss.fin.security': 'cashtag',
};

/**
 * MessageML Elements tags, in case a message carries them unconverted; each becomes its PresentationML
 * equivalent (`<text-field>` is `<input type="text">`, and so on).
 */
const ELEMENT_ALIASES = {
  'text-field': { tag: 'input', type: 'text' },
  'date-picker': { tag: 'input', type: 'date' },
  'time-picker': { tag: 'input', type: 'time' },
  'number-field': { tag: 'input', type: 'number' },
  'person-selector': { tag: 'input', type: 'text' },
  checkbox: { tag: 'input', type: 'checkbox', labelled: true },
  radio: { tag: 'input', type: 'radio', labelled: true },
};

function safeHref(value) {
  try {
    const url = new URL(value, 'https://invalid.example/');
    if (url.origin === 'https://invalid.example') return null;
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Parses PresentationML: as XML first (self-closing Elements tags), as HTML when that fails. */
function parseMarkup(markup) {
  const xml = new DOMParser().parseFromString(`<root>${markup}</root>`, 'application/xml');
  if (!xml.getElementsByTagName('parsererror').length && xml.documentElement) return xml.documentElement;
  return new DOMParser().parseFromString(markup, 'text/html').body;
}

function entityKind(source, data) {
  const id = source.getAttribute('data-entity-id');
  const entity = id && data && typeof data === 'object' ? data[id] : undefined;
  if (entity && typeof entity === 'object' && typeof entity.type === 'string') {
    const kind = ENTITY_KINDS[entity.type];
    if (kind) return { kind, entity };
  }
  const classes = (source.getAttribute('class') ?? '').split(/\s+/);
  if (classes.includes('hashTag')) return { kind: 'hashtag' };
  if (classes.includes('cashTag')) return { kind: 'cashtag' };
  return null;
}

function copyClasses(source, target) {
  for (const name of (source.getAttribute('class') ?? '').split(/\s+/)) {
    if (CLASSES.has(name)) target.classList.add(`pml-${name}`);
  }
}

/**
 * A form control's `name` becomes a neutral `field-N` (the same N for the same name within a form, so
 * radio groups still work) and the Symphony name moves to `data-name`. A <form> exposes its controls as
 * properties by name, so a field named "reset", "elements" or "dataset" would otherwise shadow the
 * form's own methods and properties.
 */
function fieldName(context, name) {
  context.fieldNames ??= new Map();
  if (!context.fieldNames.has(name)) context.fieldNames.set(name, `field-${context.fieldNames.size}`);
  return context.fieldNames.get(name);
}

function copyAttributes(source, target, tag, context) {
  for (const name of ATTRIBUTES[tag] ?? []) {
    if (!source.hasAttribute(name)) continue;
    const value = source.getAttribute(name) ?? '';
    if (name === 'name') {
      target.setAttribute('name', fieldName(context, value));
      target.dataset.name = value;
      continue;
    }
    if (name === 'href') {
      const href = safeHref(value);
      if (!href) continue;
      target.setAttribute('href', href);
      target.setAttribute('target', '_blank');
      target.setAttribute('rel', 'noopener noreferrer nofollow');
      continue;
    }
    target.setAttribute(name, value);
  }
}

/**
 * Builds the safe copy of one element. Returns a node, or null to unwrap (children are appended to the
 * parent instead).
 */
function copyElement(source, tag, context) {
  const alias = ELEMENT_ALIASES[tag];
  if (alias) return copyElementsAlias(source, alias, context);
  if (!KEEP.has(tag)) return null;
  const target = document.createElement(tag);
  copyClasses(source, target);
  copyAttributes(source, target, tag, context);
  if (tag === 'span' || tag === 'a') {
    const entity = entityKind(source, context.data);
    if (entity) {
      target.classList.add('entity', `entity-${entity.kind}`);
      const value = entity.entity?.id?.[0]?.value;
      if (value !== undefined) target.dataset.entityValue = String(value);
    }
  }
  if (tag === 'form') {
    context.fieldNames = new Map();
    target.dataset.formId = source.getAttribute('id') ?? '';
    target.setAttribute('novalidate', '');
    target.classList.add('elements-form');
    const multiSubmit = source.getAttribute('data-multi-submit') ?? source.getAttribute('multi-submit');
    if (multiSubmit) target.dataset.multiSubmit = multiSubmit;
  }
  if (tag === 'input') {
    const type = (source.getAttribute('type') ?? 'text').toLowerCase();
    target.setAttribute('type', INPUT_TYPES.has(type) ? type : 'text');
  }
  if (tag === 'button') {
    const type = (source.getAttribute('type') ?? 'action').toLowerCase();
    if (type === 'reset') {
      target.setAttribute('type', 'reset');
    } else {
      target.setAttribute('type', 'submit');
      target.dataset.actionName = source.getAttribute('name') ?? '';
    }
  }
  if (tag === 'textarea') {
    target.textContent = source.textContent ?? '';
    return labelled(source, { node: target, skipChildren: true });
  }
  if (tag === 'input' || tag === 'select') return labelled(source, { node: target });
  return { node: target };
}

/** Elements fields carry their visible label in `data-label`: wrap the control in a <label>. */
function labelled(source, copied) {
  const text = source.getAttribute('data-label');
  if (!text) return copied;
  const label = document.createElement('label');
  label.className = 'field';
  const caption = document.createElement('span');
  caption.className = 'field-label';
  caption.textContent = text;
  label.append(caption, copied.node);
  return { node: label, childTarget: copied.node, skipChildren: copied.skipChildren };
}

function copyElementsAlias(source, alias, context) {
  const input = document.createElement('input');
  input.setAttribute('type', alias.type);
  copyAttributes(source, input, 'input', context);
  if (alias.type === 'checkbox' && !source.hasAttribute('value')) input.setAttribute('value', 'on');
  if (!alias.labelled) {
    if (source.textContent && !input.hasAttribute('value')) input.setAttribute('value', source.textContent);
    return { node: input, skipChildren: true };
  }
  const label = document.createElement('label');
  label.className = 'choice';
  label.append(input, document.createTextNode(` ${source.textContent ?? ''}`));
  return { node: label, skipChildren: true };
}

function copyChildren(source, target, context, depth) {
  for (const child of Array.from(source.childNodes)) {
    const copy = copyNode(child, context, depth + 1);
    if (copy) target.append(copy);
  }
}

function copyNode(source, context, depth) {
  if (depth > 64) return null; // pathological nesting: stop, do not recurse forever
  if (source.nodeType === 3 || source.nodeType === 4) return document.createTextNode(source.nodeValue ?? '');
  if (source.nodeType !== 1) return null; // comments, processing instructions, ...
  const tag = (source.localName ?? source.nodeName).toLowerCase();
  if (DROP.has(tag)) return null;
  if (tag === 'img') {
    const alt = source.getAttribute('alt');
    return alt ? document.createTextNode(`[image: ${alt}]`) : null;
  }
  const copied = copyElement(source, tag, context);
  if (!copied) {
    const fragment = document.createDocumentFragment();
    copyChildren(source, fragment, context, depth);
    return fragment;
  }
  if (!copied.skipChildren) copyChildren(source, copied.childTarget ?? copied.node, context, depth);
  return copied.node;
}

/**
 * PresentationML string + EntityJSON object → a DocumentFragment safe to insert into the page.
 * Mentions, hashtags and cashtags get `entity entity-{mention|hashtag|cashtag}` classes; forms keep
 * their Symphony form id in `data-form-id`, fields their name in `data-name`, action buttons their
 * name in `data-action-name`.
 */
export function renderPresentationML(markup, data) {
  const fragment = document.createDocumentFragment();
  const root = parseMarkup(typeof markup === 'string' ? markup : '');
  copyChildren(root, fragment, { data: data ?? {} }, 0);
  return fragment;
}
