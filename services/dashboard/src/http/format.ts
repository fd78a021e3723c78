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

/** A time with its age, for the server-rendered page (UTC; the page's script shows it in the viewer's zone). */
export function formatWhen(epochMs: number | null | undefined, now: number): string {
  if (epochMs === null || epochMs === undefined) return '–';
  const d = now - epochMs;
  return `${formatTime(epochMs)} (${d >= 0 ? `${formatAge(d)} ago` : `in ${formatAge(-d)}`})`;
}

/** A latency in ms: `12.5 ms`, `1.25 s`. */
export function formatMs(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  return v < 1000 ? `${Math.round(v * 100) / 100} ms` : `${(v / 1000).toFixed(2)} s`;
}

/** JSON safe inside a `<script type="application/json">` block (no `</script>`, no `<!--`). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A window length in words: `15 minutes`, `20 seconds`. */
export function formatSpan(ms: number): string {
  if (ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  const s = Math.round(ms / 1000);
  return s === 1 ? '1 second' : `${s} seconds`;
}
