import { renderAttributes } from './attributes.ts';
import { type Content, type Fragment, render, trusted } from './fragment.ts';
import { InvalidMessageMlInputError } from './invalid-message-ml-input-error.ts';

/** Hashtag and cashtag values: letters, digits, `_`, `.`, `-`. */
const TAG_PATTERN = /^[\p{L}\p{N}_.-]+$/u;

function validTag(tag: string, what: string): string {
  if (!TAG_PATTERN.test(tag)) {
    throw new InvalidMessageMlInputError(`${what} may only contain letters, digits, "_", "." and "-"`);
  }
  return tag;
}

/** `<mention uid="…"/>`: Symphony renders the user's name and notifies them. */
export function mention(userId: number | string): Fragment {
  const uid = String(userId);
  if (!/^\d{1,19}$/.test(uid))
    throw new InvalidMessageMlInputError('mention: user id must be a positive integer');
  return trusted(`<mention${renderAttributes({ uid })}/>`);
}

export function hashtag(tag: string): Fragment {
  return trusted(`<hash${renderAttributes({ tag: validTag(tag, 'hashtag') })}/>`);
}

export function cashtag(tag: string): Fragment {
  return trusted(`<cash${renderAttributes({ tag: validTag(tag, 'cashtag') })}/>`);
}

export function bold(content: Content): Fragment {
  return trusted(`<b>${render(content)}</b>`);
}

export function italic(content: Content): Fragment {
  return trusted(`<i>${render(content)}</i>`);
}

export function code(content: Content): Fragment {
  return trusted(`<code>${render(content)}</code>`);
}

/** `<a href>`; only absolute http(s) URLs are accepted. Without text, Symphony shows the URL. */
export function link(href: string, text?: Content): Fragment {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new InvalidMessageMlInputError('link: href is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidMessageMlInputError('link: href must be http or https');
  }
  const attributes = renderAttributes({ href: url.href });
  return trusted(text === undefined ? `<a${attributes}/>` : `<a${attributes}>${render(text)}</a>`);
}
