/** Formatting shared by the server-rendered page; the page's script carries the same rules (see status-page-script.ts). */
export function formatAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : String(n);
}

export function formatTime(epochMs: number | null | undefined): string {
  return epochMs === null || epochMs === undefined ? '–' : new Date(epochMs).toISOString();
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
