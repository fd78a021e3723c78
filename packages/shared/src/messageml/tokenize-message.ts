import { type EntityRef, parseEntities } from './parse-entities.ts';
import { splitTextTokens } from './split-text-tokens.ts';
import type { Token } from './token.ts';
import { isBlockElement, walkPresentationMl } from './walk-presentation-ml.ts';

type TokenEntity = Exclude<EntityRef, { kind: 'other' }>;

function entityToken(entity: TokenEntity, text: string): Token {
  switch (entity.kind) {
    case 'mention':
      return { kind: 'mention', userId: entity.userId, text: text.replace(/\s+/g, ' ').trim() };
    case 'hashtag':
      return { kind: 'hashtag', value: entity.value };
    case 'cashtag':
      return { kind: 'cashtag', value: entity.value };
  }
}

function hasEntityClass(attributes: Readonly<Record<string, string>>): boolean {
  return (attributes['class'] ?? '').split(/\s+/).includes('entity');
}

/**
 * Tokens of a PresentationML message and its EntityJSON: each `<span class="entity" data-entity-id="K">` whose
 * `data[K]` is a mention, hashtag or cashtag becomes one token; all other text is split into words and
 * `"quoted strings"` (block elements and `<br/>` separate words). Unknown entities (emoji…) count as text.
 * Throws `InvalidMarkupError` on a DOCTYPE or other declaration, or on absurd nesting.
 */
export function tokenizeMessage(pml: string, data: string | undefined): Token[] {
  const entities = parseEntities(data).byId;
  const tokens: Token[] = [];
  let text = '';
  /** The entity being read and how many elements deep we are inside its span (0 = not in one). */
  let current: { entity: TokenEntity; text: string } | undefined;
  let depth = 0;

  const flushText = () => {
    // A loop, not push(...spread): a 1.5 MB message can hold more tokens than a call's argument limit.
    if (text !== '') for (const token of splitTextTokens(text)) tokens.push(token);
    text = '';
  };

  walkPresentationMl(pml, {
    onText(chunk) {
      if (current) current.text += chunk;
      else text += chunk;
    },
    onOpen(name, attributes) {
      if (current) {
        depth += 1;
        return;
      }
      const entity = hasEntityClass(attributes)
        ? entities.get(attributes['data-entity-id'] ?? '')
        : undefined;
      if (entity && entity.kind !== 'other') {
        flushText();
        current = { entity, text: '' };
        depth = 1;
      } else if (isBlockElement(name)) {
        text += ' ';
      }
    },
    onClose(name) {
      if (current) {
        depth -= 1;
        if (depth === 0) {
          tokens.push(entityToken(current.entity, current.text));
          current = undefined;
        }
      } else if (isBlockElement(name)) {
        text += ' ';
      }
    },
  });
  if (current) tokens.push(entityToken(current.entity, current.text));
  flushText();
  return tokens;
}
