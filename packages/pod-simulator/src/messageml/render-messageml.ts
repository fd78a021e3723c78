import type { PodState } from '../pod/pod-state.ts';
import { PASS_THROUGH, VOID } from './allowed-tags.ts';
import {
  type ElementNode,
  escapeText,
  InvalidMessageMLError,
  type MarkupNode,
  openTag,
} from './markup-tree.ts';

const FORM_FIELDS = new Set(['text-field', 'textarea', 'select', 'radio', 'checkbox', 'button']);
const TAG_VALUE = /^[\p{L}\p{N}_.-]+$/u;

/** Conversion state: the entities generated so far and whether we are inside a form. */
export interface RenderContext {
  pod: PodState;
  entities: Record<string, unknown>;
  counters: { mention: number; keyword: number; emoji: number };
  inForm: boolean;
  formHasAction: boolean;
}

const invalid = (msg: string): InvalidMessageMLError => new InvalidMessageMLError(msg);

function checkAttrs(el: ElementNode, allowed: readonly string[]): void {
  for (const a of Object.keys(el.attrs)) {
    if (a === 'class' || a === 'style' || a.startsWith('data-') || allowed.includes(a)) continue;
    throw invalid(`Attribute "${a}" is not allowed in "${el.name}"`);
  }
}

function keepAttrs(el: ElementNode, allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(el.attrs)) {
    if (k === 'class' || k === 'style' || k.startsWith('data-') || allowed.includes(k)) out[k] = v;
  }
  return out;
}

/** MessageML nodes → PresentationML markup (entities collected in `ctx.entities`). */
export function renderChildren(nodes: MarkupNode[], ctx: RenderContext): string {
  let out = '';
  for (const n of nodes) out += n.kind === 'text' ? escapeText(n.text) : renderElement(n, ctx);
  return out;
}

function entitySpan(key: string, text: string): string {
  return `<span class="entity" data-entity-id="${key}">${escapeText(text)}</span>`;
}

function renderElement(el: ElementNode, ctx: RenderContext): string {
  const name = el.name;
  const a = el.attrs;
  if (FORM_FIELDS.has(name) && !ctx.inForm) {
    throw invalid(`Element "${name}" can only be a inner child of the following elements: [form]`);
  }
  switch (name) {
    case 'mention': {
      checkAttrs(el, ['uid', 'email', 'strict']);
      let user = a.uid !== undefined ? ctx.pod.getUser(Number(a.uid)) : undefined;
      if (a.uid === undefined && a.email !== undefined) user = ctx.pod.getUserByEmail(a.email);
      if (a.uid === undefined && a.email === undefined)
        throw invalid('The attribute "uid" or "email" is required for "mention"');
      if (a.uid !== undefined && !/^\d+$/.test(a.uid))
        throw invalid(`Invalid user id "${a.uid}" in "mention"`);
      if (!user && a.email !== undefined && a.uid === undefined)
        throw invalid(`No user with email "${a.email}"`);
      const key = `mention${++ctx.counters.mention}`;
      const uid = user ? String(user.userId) : a.uid!;
      ctx.entities[key] = {
        type: 'com.symphony.user.mention',
        version: '1.0',
        id: [{ type: 'com.symphony.user.userId', value: uid }],
      };
      return entitySpan(key, `@${user ? user.displayName : uid}`);
    }
    case 'hash':
    case 'cash': {
      checkAttrs(el, ['tag']);
      const tag = a.tag;
      if (!tag || !TAG_VALUE.test(tag)) throw invalid(`Invalid or missing "tag" attribute in "${name}"`);
      const key = `keyword${++ctx.counters.keyword}`;
      ctx.entities[key] =
        name === 'hash'
          ? {
              type: 'org.symphonyoss.taxonomy',
              version: '1.0',
              id: [{ type: 'org.symphonyoss.taxonomy.hashtag', value: tag }],
            }
          : {
              type: 'org.symphonyoss.fin.security',
              version: '1.0',
              id: [{ type: 'org.symphonyoss.fin.security.id.ticker', value: tag }],
            };
      return entitySpan(key, `${name === 'hash' ? '#' : '$'}${tag}`);
    }
    case 'emoji': {
      checkAttrs(el, ['shortcode', 'family', 'size']);
      if (!a.shortcode) throw invalid('The attribute "shortcode" is required for "emoji"');
      const key = `emoji${++ctx.counters.emoji}`;
      ctx.entities[key] = {
        type: 'com.symphony.emoji',
        version: '1.0',
        data: { annotation: a.shortcode, family: a.family ?? '', size: a.size ?? 'normal', unicode: '' },
      };
      return entitySpan(key, `:${a.shortcode}:`);
    }
    case 'card': {
      checkAttrs(el, ['accent', 'iconSrc']);
      const attrs = {
        class: 'card barStyle',
        'data-icon-src': a.iconSrc,
        'data-accent-color': a.accent,
      };
      return `${openTag('div', attrs)}${renderChildren(el.children, ctx)}</div>`;
    }
    case 'header':
    case 'body': {
      checkAttrs(el, []);
      const cls = name === 'header' ? 'cardHeader' : 'cardBody';
      return `<div class="${cls}">${renderChildren(el.children, ctx)}</div>`;
    }
    case 'form': {
      checkAttrs(el, ['id', 'multi-submit']);
      if (ctx.inForm) throw invalid('Element "form" cannot be nested in another "form"');
      if (!a.id) throw invalid('The attribute "id" is required for "form"');
      ctx.inForm = true;
      ctx.formHasAction = false;
      const inner = renderChildren(el.children, ctx);
      if (!ctx.formHasAction) {
        throw invalid("The form with id '" + a.id + "' should have at least one action button");
      }
      ctx.inForm = false;
      return `${openTag('form', { id: a.id, 'data-multi-submit': a['multi-submit'] })}${inner}</form>`;
    }
    case 'text-field': {
      checkAttrs(el, [
        'name',
        'placeholder',
        'required',
        'maxlength',
        'minlength',
        'masked',
        'label',
        'title',
      ]);
      if (!a.name) throw invalid('The attribute "name" is required for "text-field"');
      const value = el.children.map((c) => (c.kind === 'text' ? c.text : '')).join('');
      if (value.length > 128) throw invalid('The default value of "text-field" cannot exceed 128 characters');
      return openTag(
        'input',
        {
          type: a.masked === 'true' ? 'password' : 'text',
          name: a.name,
          placeholder: a.placeholder,
          required: a.required,
          maxlength: a.maxlength,
          minlength: a.minlength,
          'data-label': a.label,
          value: value || undefined,
        },
        true,
      );
    }
    case 'textarea': {
      checkAttrs(el, ['name', 'placeholder', 'required', 'label', 'title']);
      if (!a.name) throw invalid('The attribute "name" is required for "textarea"');
      const value = el.children.map((c) => (c.kind === 'text' ? c.text : '')).join('');
      return `${openTag('textarea', { name: a.name, placeholder: a.placeholder, required: a.required, 'data-label': a.label })}${escapeText(value)}</textarea>`;
    }
    case 'select': {
      checkAttrs(el, ['name', 'required', 'data-placeholder', 'label', 'title', 'multiple']);
      if (!a.name) throw invalid('The attribute "name" is required for "select"');
      let options = '';
      for (const c of el.children) {
        if (c.kind === 'text') {
          if (c.text.trim()) throw invalid('Element "select" can only contain "option" elements');
          continue;
        }
        if (c.name !== 'option') throw invalid('Element "select" can only contain "option" elements');
        checkAttrs(c, ['value', 'selected']);
        if (c.attrs.value === undefined) throw invalid('The attribute "value" is required for "option"');
        options += `${openTag('option', { value: c.attrs.value, selected: c.attrs.selected })}${renderChildren(c.children, ctx)}</option>`;
      }
      return `${openTag('select', { name: a.name, required: a.required, multiple: a.multiple, 'data-label': a.label })}${options}</select>`;
    }
    case 'radio':
    case 'checkbox': {
      checkAttrs(el, ['name', 'value', 'checked', 'disabled']);
      if (!a.name) throw invalid(`The attribute "name" is required for "${name}"`);
      const input = openTag(
        'input',
        { type: name, name: a.name, value: a.value ?? 'on', checked: a.checked, disabled: a.disabled },
        true,
      );
      return `<div class="${name}-group">${input}<label>${renderChildren(el.children, ctx)}</label></div>`;
    }
    case 'button': {
      checkAttrs(el, ['name', 'type', 'class', 'icon']);
      const type = a.type ?? 'action';
      if (type !== 'action' && type !== 'reset') throw invalid(`Invalid button type "${type}"`);
      if (type === 'action') {
        if (!a.name) throw invalid('The attribute "name" is required for action buttons');
        ctx.formHasAction = true;
      }
      return `${openTag('button', { type, name: a.name, class: a.class })}${renderChildren(el.children, ctx)}</button>`;
    }
    case 'option':
      throw invalid('Element "option" can only be a inner child of "select"');
    default: {
      const allowed = PASS_THROUGH[name];
      if (!allowed) throw invalid(`Invalid MessageML content at element "${name}"`);
      checkAttrs(el, allowed);
      if (name === 'a' && !a.href) throw invalid('The attribute "href" is required for "a"');
      if (VOID.has(name)) {
        if (el.children.length > 0) throw invalid(`Element "${name}" cannot have content`);
        return openTag(name, keepAttrs(el, allowed), true);
      }
      return `${openTag(name, keepAttrs(el, allowed))}${renderChildren(el.children, ctx)}</${name}>`;
    }
  }
}
