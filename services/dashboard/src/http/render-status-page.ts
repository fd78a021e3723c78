import type { DashboardStatus } from '../status/dashboard-status.ts';
import { escapeHtml as e, formatAge, formatNumber, formatTime } from './format.ts';
import { statusPageScript } from './status-page-script.ts';

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
header{display:flex;gap:1rem;align-items:baseline;padding:.8rem 1.2rem;background:#1b1f24;color:#fff}
header h1{font-size:1.1rem;margin:0} header a{color:#9cc3ff} header small{opacity:.75}
main{padding:1rem 1.2rem;display:grid;gap:1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:.7rem}
.card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.6rem .8rem}
.card b{display:block;font-size:1.6rem;font-variant-numeric:tabular-nums}
.card span{color:#59636e;font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.6rem .8rem}
h2{font-size:.95rem;margin:.2rem 0 .5rem}
table{border-collapse:collapse;width:100%} td,th{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eef0f2}
th{color:#59636e;font-weight:600;font-size:.8rem} td{font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0} dt{color:#59636e}
#errors td:first-child{color:#b42318;font-weight:600}
`;

function recreations(i: DashboardStatus['ingester']): string {
  if (!i) return '–';
  const last = i.recreations.last;
  if (!last) return String(i.recreations.count);
  return `${i.recreations.count} (last ${formatTime(last.at)}: ${last.reason ?? '?'})`;
}

function card(id: string, label: string, value: string): string {
  return `<div class="card"><span>${e(label)}</span><b id="${id}">${e(value)}</b></div>`;
}

function rows(cells: string[][]): string {
  return cells.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('');
}

/** The server-rendered status page; its script then refreshes it from `api/status` every `refreshMs`. */
export function renderStatusPage(s: DashboardStatus, opts: { nonce: string; refreshMs: number }): string {
  const b = s.backlog;
  const i = s.ingester;
  const w = s.workers;
  const top = (s.topStreams ?? []).map((t) => [t.streamId, String(t.pending), formatAge(t.oldestAgeMs)]);
  const workers = (w?.list ?? []).map((x) => [
    x.id,
    `${x.bot.id} · ${x.bot.fingerprint} (${x.bot.commands} commands)`,
    x.host ?? '–',
    formatNumber(x.pid),
    formatNumber(x.concurrency),
    formatNumber(x.stats['handled']),
    formatAge(x.beatAt === null ? null : s.generatedAt - x.beatAt),
  ]);
  const errors = Object.entries(s.errors).map(([k, v]) => [k, v]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Baton · ${e(s.prefix)}</title><style nonce="${opts.nonce}">${STYLE}</style></head>
<body>
<header><h1>Baton</h1><small>prefix <code>${e(s.prefix)}</code></small>
<small>updated <span id="updated">${e(formatTime(s.generatedAt))}</span> · <span id="conn">server-rendered</span></small>
<a href="queues">queues (bull-board) →</a></header>
<main>
<div class="cards">
${card('pending', 'events pending', formatNumber(b?.pending))}
${card('oldest', 'oldest pending', formatAge(b?.oldestAgeMs))}
${card('streams', 'streams waiting', formatNumber(b?.streams))}
${card('dlq', 'dead letters', formatNumber(s.dlq?.size))}
${card('handled', 'handled / s', formatNumber(s.handled?.perSecond))}
${card('workers-live', 'live workers', formatNumber(w?.live))}
</div>
<section><h2>Ingester</h2><dl>
<dt>leader</dt><dd id="leader">${e(i?.leader?.id ?? '–')}</dd>
<dt>leader since</dt><dd id="leader-since">${e(formatTime(i?.leader?.since))}</dd>
<dt>lease left</dt><dd id="leader-lease">${e(formatAge(i?.leader?.leaseRemainingMs))}</dd>
<dt>feed id</dt><dd id="feed-id">${e(i?.feed?.id ?? '–')}</dd>
<dt>feed version</dt><dd id="feed-version">${e(i?.feed?.version ?? '–')}</dd>
<dt>last batch stored</dt><dd id="last-stored">${e(formatTime(i?.feed?.lastStoredAt))}</dd>
<dt>time since last read</dt><dd id="last-read">${e(formatAge(i?.lastReadAgeMs))}</dd>
<dt>feed high-water mark</dt><dd id="high-water">${e(formatNumber(i?.highWater))}</dd>
<dt>feed recreations</dt><dd id="recreations">${e(recreations(i))}</dd>
</dl></section>
<section><h2>Queues</h2><dl>
<dt>drain jobs waiting</dt><dd id="drain-waiting">${e(formatNumber(s.queues?.drain['waiting']))}</dd>
<dt>drain jobs active</dt><dd id="drain-active">${e(formatNumber(s.queues?.drain['active']))}</dd>
<dt>scheduled tasks delayed</dt><dd id="scheduled-delayed">${e(formatNumber(s.queues?.scheduled['delayed']))}</dd>
<dt>events handled (live workers, total)</dt><dd id="handled-total">${e(formatNumber(s.handled?.total))}</dd>
</dl></section>
<section><h2>Top streams by backlog</h2><table><thead><tr><th>stream</th><th>pending</th><th>oldest</th></tr></thead>
<tbody id="top-streams">${rows(top)}</tbody></table></section>
<section><h2>Live workers</h2><table><thead><tr><th>id</th><th>bot</th><th>host</th><th>pid</th><th>concurrency</th><th>handled</th><th>last beat</th></tr></thead>
<tbody id="worker-list">${rows(workers)}</tbody></table></section>
<section><h2>Read errors</h2><table><tbody id="errors">${rows(errors)}</tbody></table></section>
</main>
<script nonce="${opts.nonce}">${statusPageScript(opts.refreshMs)}</script>
</body></html>`;
}
