import type { PodState } from '../pod/pod-state.ts';
import { applyFreemarker } from './apply-freemarker.ts';
import { type ElementNode, InvalidMessageMLError, type MarkupNode, parseMarkup } from './markup-tree.ts';
import { type RenderContext, renderChildren } from './render-messageml.ts';
import { renderPresentation } from './render-presentation.ts';

export interface ConvertedMessage {
  presentationML: string;
  data: Record<string, unknown>;
  text: string;
}

export const PRESENTATION_ML_OPEN = '<div data-format="PresentationML" data-version="2.0">';

/** Symphony's message limits (reference §6): entities, unique tokens, and text length (~60,000 plain characters). */
const MAX_ENTITIES = 80;
const MAX_UNIQUE_TOKENS = 2_500;
const MAX_TEXT_CHARS = 60_000;

function checkTextLimits(text: string): void {
  if (text.length > MAX_TEXT_CHARS) {
    throw invalid(
      `Message too long: ${text.length} characters of text, the limit is about ${MAX_TEXT_CHARS} (81,130 characters of encrypted markdown)`,
    );
  }
  const unique = new Set(text.split(/\s+/).filter(Boolean)).size;
  if (unique > MAX_UNIQUE_TOKENS) {
    throw invalid(`Message has ${unique} unique tokens, the limit is ${MAX_UNIQUE_TOKENS}`);
  }
}

const invalid = (msg: string): InvalidMessageMLError => new InvalidMessageMLError(msg);

/** Text of the rendered PresentationML, the way the BDKs compute it (textContent, trimmed). */
function presentationText(html: string): string {
  const nodes = parseMarkup(html);
  const walk = (ns: MarkupNode[]): string =>
    ns.map((n) => (n.kind === 'text' ? n.text : n.name === 'select' ? '' : walk(n.children))).join('');
  return walk(nodes).trim();
}

/** The bot's EntityJSON (`data` part): absent/empty → `{}`; anything but a JSON object → 400. */
function parseData(data: string | undefined): Record<string, unknown> {
  if (data === undefined || data.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (err) {
    throw invalid(`Error parsing EntityJSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('Error parsing EntityJSON: the data must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/**
 * Convert MessageML (or pass PresentationML through, validated) into PresentationML + EntityJSON, as the
 * agent does on message create. Throws `InvalidMessageMLError` (400) on anything Symphony would reject.
 */
export function convertMessageML(
  message: string,
  rawData: string | undefined,
  pod: PodState,
): ConvertedMessage {
  const botData = parseData(rawData);
  const source = applyFreemarker(message, botData);
  const roots = parseMarkup(source.trim());
  const elements = roots.filter((n): n is ElementNode => n.kind === 'element');
  const strayText = roots.some((n) => n.kind === 'text' && n.text.trim() !== '');
  if (elements.length !== 1 || strayText) {
    throw invalid('Invalid MessageML: the message must have a single <messageML> root element');
  }
  const root = elements[0]!;
  const ctx: RenderContext = {
    pod,
    entities: {},
    counters: { mention: 0, keyword: 0, emoji: 0 },
    inForm: false,
    formHasAction: false,
  };
  let inner: string;
  if (root.name === 'messageML') {
    inner = renderChildren(root.children, ctx);
  } else if (root.name === 'div' && root.attrs['data-format'] === 'PresentationML') {
    inner = renderPresentation(root.children);
  } else {
    throw invalid(`Invalid MessageML: unexpected root element "${root.name}", expected "messageML"`);
  }
  const data = { ...botData, ...ctx.entities };
  if (Object.keys(data).length > MAX_ENTITIES) {
    throw invalid(`Invalid MessageML: a message may carry at most ${MAX_ENTITIES} entities`);
  }
  const presentationML = `${PRESENTATION_ML_OPEN}${inner}</div>`;
  const text = presentationText(presentationML);
  checkTextLimits(text);
  return { presentationML, data, text };
}
