import type { DeadLetterList } from '../dlq/dead-letter-view.ts';
import type { DashboardStatus } from '../status/dashboard-status.ts';
import type { StatusHistoryDocument } from '../status/status-history.ts';
import { CHART } from './chart-script.ts';
import {
  escapeHtml as e,
  formatAge,
  formatMs,
  formatNumber,
  formatSpan,
  formatTime,
  formatWhen,
  jsonForScript,
} from './format.ts';
import { statusPageScript } from './status-page-script.ts';

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
header{display:flex;gap:1rem;align-items:baseline;padding:.8rem 1.2rem;background:#1b1f24;color:#fff}
header h1{font-size:1.1rem;margin:0} header a{color:#9cc3ff} header small{opacity:.75}
main{padding:1rem 1.2rem;display:grid;gap:1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:.7rem}
.card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.6rem .8rem}
.card b{display:block;font-size:1.6rem;font-variant-numeric:tabular-nums}
.card span{color:#59636e;font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.6rem .8rem}
h2{font-size:.95rem;margin:.2rem 0 .5rem} .note{color:#59636e;font-size:.8rem;margin:0 0 .5rem}
table{border-collapse:collapse;width:100%} td,th{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eef0f2;vertical-align:top}
th{color:#59636e;font-weight:600;font-size:.8rem} td{font-variant-numeric:tabular-nums}
td.none{color:#59636e;font-style:italic}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0} dt{color:#59636e}
#errors td:first-child{color:#b42318;font-weight:600} #errors td.none{color:#59636e;font-weight:400}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:.7rem}
figure{margin:0} figcaption{font-size:.8rem;color:#59636e;margin-bottom:.2rem}
svg.chart{width:100%;height:auto;display:block;background:#fff}
.actions{display:flex;gap:.3rem} button{font:inherit;font-size:.8rem;padding:.1rem .5rem;cursor:pointer}
button:disabled{cursor:not-allowed;opacity:.5}
#dlq-msg{color:#59636e;min-height:1.2em;margin:.3rem 0 0}
pre{background:#f6f8fa;border:1px solid #dde1e6;border-radius:4px;padding:.5rem;overflow:auto;max-height:24rem;font-size:.8rem}
`;

function recreations(i: DashboardStatus['ingester'], now: number): string {
  if (!i) return '–';
  const last = i.recreations.last;
  if (!last) return String(i.recreations.count);
  return `${i.recreations.count} (last ${formatWhen(last.at, now)}: ${last.reason ?? '?'})`;
}

function card(id: string, label: string, value: string): string {
  return `<div class="card"><span>${e(label)}</span><b id="${id}">${e(value)}</b></div>`;
}

/** Table rows; an empty table gets one `none` row across its `cols` columns. */
function rows(cells: string[][], cols: number): string {
  if (cells.length === 0) return `<tr><td class="none" colspan="${cols}">none</td></tr>`;
  return cells.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('');
}

function table(id: string, headers: string[], cells: string[][]): string {
  return `<table><thead><tr>${headers.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead>
<tbody id="${id}" data-cols="${headers.length}">${rows(cells, headers.length)}</tbody></table>`;
}

/** An empty chart frame the script draws into (the page's charts need its script). */
function chart(id: string, caption: string): string {
  return `<figure><figcaption>${e(caption)}</figcaption><svg id="${id}" class="chart" viewBox="0 0 ${CHART.width} ${CHART.height}" role="img" aria-label="${e(caption)}" data-points="0"><text x="${CHART.width / 2}" y="${CHART.height / 2}" text-anchor="middle" font-size="11" fill="#59636e">charts need the page's script</text></svg></figure>`;
}

export interface StatusPageInput {
  status: DashboardStatus;
  history: StatusHistoryDocument;
  /** The dead letters' first page (null: they could not be read; the script tries again). */
  dlq: DeadLetterList | null;
  nonce: string;
  /** Sent back by the page's replay/drop POSTs (see create-csrf-guard.ts). */
  csrfToken: string;
  refreshMs: number;
}

/**
 * The server-rendered status page. Its script renders the embedded status and history at once (times in the
 * viewer's zone, the charts), then refreshes from `api/status` and `api/history` every `refreshMs`.
 */
export function renderStatusPage(input: StatusPageInput): string {
  const { status: s, history, nonce } = input;
  const now = s.generatedAt;
  const b = s.backlog;
  const i = s.ingester;
  const w = s.workers;
  const top = (s.topStreams ?? []).map((t) => [t.streamId, String(t.pending), formatAge(t.oldestAgeMs)]);
  const workers = (w?.list ?? []).map((x) => [
    x.id,
    `${x.bot.id} · ${x.bot.fingerprint} (${x.bot.commands} commands)`,
    x.bot.version ?? '–',
    x.host ?? '–',
    formatNumber(x.pid),
    formatNumber(x.concurrency),
    formatNumber(x.stats['handled']),
    formatWhen(x.startedAt, now),
    formatAge(x.beatAt === null ? null : now - x.beatAt),
  ]);
  const dead = (input.dlq?.entries ?? []).map((d) => [
    formatWhen(d.failedAt, now),
    d.stage,
    d.reason,
    d.streamId ?? '–',
    d.error ? `${d.error.name}: ${d.error.message}` : '–',
    formatNumber(d.attempts),
    d.replayable ? 'yes' : `no${d.notReplayable ? ` (${d.notReplayable})` : ''}`,
    '',
  ]);
  const errors = Object.entries(s.errors).map(([k, v]) => [k, v]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="csrf-token" content="${e(input.csrfToken)}">
<title>Baton · ${e(s.prefix)}</title><style nonce="${nonce}">${STYLE}</style></head>
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
${card('p50', 'reply p50', formatMs(s.latency?.p50Ms))}
${card('p99', 'reply p99', formatMs(s.latency?.p99Ms))}
${card('workers-live', 'live workers', formatNumber(w?.live))}
</div>
<section><h2>Last ${e(formatSpan(history.windowMs))}</h2>
<p class="note">Sampled every ${e(formatAge(history.sampleMs))} and kept in this dashboard's memory only: a restarted dashboard starts with empty charts. Sampling since <span id="history-since">${e(formatWhen(history.since, now))}</span>, <span id="history-samples">${history.samples.length}</span> samples. Reply latency: from the ingester receiving an event to the end of its successful handler attempt, over the last ${e(formatAge(s.latency?.windowMs ?? 30_000))} (<span id="latency-count">${e(formatNumber(s.latency?.count))}</span> events).</p>
<div class="charts">
${chart('chart-pending', 'Events pending')}
${chart('chart-oldest', 'Oldest pending event (age)')}
${chart('chart-handled', 'Events handled per second')}
${chart('chart-latency', 'Reply latency p50 / p99')}
${chart('chart-streams', 'Backlog of the top 5 streams')}
</div></section>
<section><h2>Ingester</h2><dl>
<dt>leader</dt><dd id="leader">${e(i?.leader?.id ?? '–')}</dd>
<dt>leader since</dt><dd id="leader-since">${e(formatWhen(i?.leader?.since, now))}</dd>
<dt>lease left</dt><dd id="leader-lease">${e(formatAge(i?.leader?.leaseRemainingMs))}</dd>
<dt>feed id</dt><dd id="feed-id">${e(i?.feed?.id ?? '–')}</dd>
<dt>feed version</dt><dd id="feed-version">${e(i?.feed?.version ?? '–')}</dd>
<dt>last batch stored</dt><dd id="last-stored">${e(formatWhen(i?.feed?.lastStoredAt, now))}</dd>
<dt>time since last read</dt><dd id="last-read">${e(formatAge(i?.lastReadAgeMs))}</dd>
<dt>feed high-water mark</dt><dd id="high-water">${e(formatNumber(i?.highWater))}</dd>
<dt>waiting for a redelivery</dt><dd id="awaiting-redelivery">${e(i?.awaitingRedelivery ? `${i.awaitingRedelivery.events} events read ${formatWhen(i.awaitingRedelivery.readAt, now)} by ${i.awaitingRedelivery.readBy}, not stored` : 'no')}</dd>
<dt>feed recreations</dt><dd id="recreations">${e(recreations(i, now))}</dd>
</dl></section>
<section><h2>Queues</h2><dl>
<dt>drain jobs waiting</dt><dd id="drain-waiting">${e(formatNumber(s.queues?.drain['waiting']))}</dd>
<dt>drain jobs active</dt><dd id="drain-active">${e(formatNumber(s.queues?.drain['active']))}</dd>
<dt>scheduled tasks delayed</dt><dd id="scheduled-delayed">${e(formatNumber(s.queues?.scheduled['delayed']))}</dd>
<dt>events handled (live workers, total)</dt><dd id="handled-total">${e(formatNumber(s.handled?.total))}</dd>
</dl></section>
<section><h2>Top streams by backlog</h2>
${table('top-streams', ['stream', 'pending', 'oldest'], top)}</section>
<section><h2>Live workers</h2>
${table('worker-list', ['id', 'bot', 'version', 'host', 'pid', 'concurrency', 'handled', 'started', 'last beat'], workers)}</section>
<section><h2>Dead letters (<span id="dlq-range">${e(formatNumber(input.dlq?.total ?? s.dlq?.size))}</span>)</h2>
<p class="note">Oldest first. Replay puts a <code>handle</code>-stage event back at the end of its stream's mailbox; drop deletes the entry. Both ask first.</p>
${table('dlq-list', ['failed', 'stage', 'reason', 'stream', 'last error', 'attempts', 'replayable', ''], dead)}
<p id="dlq-msg">${input.dlq ? '' : 'the dead letters could not be read'}</p>
<div id="dlq-detail-box" hidden><h2>Dead letter <code id="dlq-detail-id"></code></h2><pre id="dlq-detail"></pre></div>
</section>
<section><h2>Read errors</h2>
${table('errors', ['section', 'error'], errors)}</section>
</main>
<script type="application/json" id="initial-status">${jsonForScript(s)}</script>
<script type="application/json" id="initial-history">${jsonForScript(history)}</script>
<script nonce="${nonce}">${statusPageScript(input.refreshMs)}</script>
</body></html>`;
}
