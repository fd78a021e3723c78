const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Wraps plain text as MessageML (escaped); MessageML passes through unchanged. */
export function asMessageML(text: string): string {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<messageML>')) return text;
  return `<messageML>${text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)}</messageML>`;
}
