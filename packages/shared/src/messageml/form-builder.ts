import { renderAttributes } from './attributes.ts';
import { type Content, type Fragment, render, trusted } from './fragment.ts';
import { InvalidMessageMlInputError } from './invalid-message-ml-input-error.ts';

/** Text-field values are capped by Symphony at 128 characters. */
export const TEXT_FIELD_MAX_LENGTH = 128;

function required(value: string, what: string): string {
  if (value.trim() === '') throw new InvalidMessageMlInputError(`${what} must not be empty`);
  return value;
}

interface FieldOptions {
  /** The key of the value in `formValues`; duplicate names make the value an array. */
  readonly name: string;
  readonly label?: string;
  readonly required?: boolean;
}

export interface TextFieldOptions extends FieldOptions {
  readonly placeholder?: string;
  /** Default text (sent with the form, unlike the placeholder). */
  readonly value?: string;
  readonly minlength?: number;
  readonly maxlength?: number;
}

/** `<text-field>` (at most 128 characters). */
export function textField(options: TextFieldOptions): Fragment {
  if (options.maxlength !== undefined && options.maxlength > TEXT_FIELD_MAX_LENGTH) {
    throw new InvalidMessageMlInputError(`textField: maxlength cannot exceed ${TEXT_FIELD_MAX_LENGTH}`);
  }
  const attributes = renderAttributes({
    name: required(options.name, 'textField name'),
    label: options.label,
    placeholder: options.placeholder,
    required: options.required,
    minlength: options.minlength,
    maxlength: options.maxlength,
  });
  return trusted(
    options.value === undefined
      ? `<text-field${attributes}/>`
      : `<text-field${attributes}>${render(options.value)}</text-field>`,
  );
}

export interface TextAreaOptions extends FieldOptions {
  readonly placeholder?: string;
  readonly value?: string;
}

/** `<textarea>` (multi-line). */
export function textArea(options: TextAreaOptions): Fragment {
  const attributes = renderAttributes({
    name: required(options.name, 'textArea name'),
    label: options.label,
    placeholder: options.placeholder,
    required: options.required,
  });
  return trusted(`<textarea${attributes}>${render(options.value ?? '')}</textarea>`);
}

export interface SelectOption {
  readonly value: string;
  readonly label: Content;
  readonly selected?: boolean;
}

/** `<select>` with its `<option>`s (at least one). */
export function select(options: FieldOptions & { readonly options: readonly SelectOption[] }): Fragment {
  if (options.options.length === 0) throw new InvalidMessageMlInputError('select needs at least one option');
  const attributes = renderAttributes({
    name: required(options.name, 'select name'),
    label: options.label,
    required: options.required,
  });
  const items = options.options.map(
    (option) =>
      `<option${renderAttributes({ value: option.value, selected: option.selected })}>${render(option.label)}</option>`,
  );
  return trusted(`<select${attributes}>${items.join('')}</select>`);
}

export interface ChoiceOptions {
  readonly name: string;
  readonly value: string;
  readonly label: Content;
  readonly checked?: boolean;
}

function choice(tag: 'radio' | 'checkbox', options: ChoiceOptions): Fragment {
  const attributes = renderAttributes({
    name: required(options.name, `${tag} name`),
    value: options.value,
    checked: options.checked,
  });
  return trusted(`<${tag}${attributes}>${render(options.label)}</${tag}>`);
}

/** `<radio>`: radios sharing a name form one group. */
export function radio(options: ChoiceOptions): Fragment {
  return choice('radio', options);
}

export function checkbox(options: ChoiceOptions): Fragment {
  return choice('checkbox', options);
}

export interface ButtonOptions {
  /** For action buttons, the value of `formValues.action` when clicked. */
  readonly name?: string;
  readonly label: Content;
  /** Defaults to `action`. */
  readonly type?: 'action' | 'reset';
  readonly class?: 'primary' | 'secondary' | 'tertiary' | 'destructive';
}

/** `<button>`: an action button submits the form, a reset button clears it. */
export function button(options: ButtonOptions): Fragment {
  const type = options.type ?? 'action';
  const name = type === 'action' ? required(options.name ?? '', 'action button name') : options.name;
  const attributes = renderAttributes({ name, type, class: options.class });
  return trusted(`<button${attributes}>${render(options.label)}</button>`, type === 'action');
}

/**
 * A Symphony Elements `<form id>`. Children are the fields and buttons above, or any other Fragment (text,
 * headings). Throws `InvalidMessageMlInputError` without an action button: Symphony would reject the message.
 */
export function form(
  id: string,
  children: readonly Fragment[],
  options: { multiSubmit?: 'reset' | 'no-reset' } = {},
): Fragment {
  if (!children.some((child) => child.isActionButton)) {
    throw new InvalidMessageMlInputError('form needs at least one action button');
  }
  const attributes = renderAttributes({ id: required(id, 'form id'), 'multi-submit': options.multiSubmit });
  return trusted(`<form${attributes}>${children.map((child) => child.markup).join('')}</form>`);
}
