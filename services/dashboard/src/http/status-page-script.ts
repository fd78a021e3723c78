import { chartScript } from './chart-script.ts';

/**
 * The page's only script (inline, nonce'd). On load it renders the status and history embedded in the page
 * (`<script type="application/json">` blocks, never executed), then every `refreshMs` fetches `api/status` and
 * `api/history` and rewrites the fields, tables and charts with textContent and DOM nodes (never innerHTML),
 * using the same formatting rules as format.ts. Times are shown in the viewer's zone (Intl), with their age.
 * The dead-letter table is read from `api/dlq` when the DLQ size changes; replay and drop ask for confirmation,
 * then POST with the page's CSRF token.
 */
export function statusPageScript(refreshMs: number): string {
  return `(() => {
  const age = (ms) => ms == null ? '–' : ms < 1000 ? Math.round(ms) + ' ms' : ms < 60000 ? (ms / 1000).toFixed(1) + ' s'
    : ms < 3600000 ? Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s' : (ms / 3600000).toFixed(1) + ' h';
  const num = (n) => n == null ? '–' : String(n);
  const ms = (v) => v == null ? '–' : v < 1000 ? (Math.round(v * 100) / 100) + ' ms' : (v / 1000).toFixed(2) + ' s';
  const dtf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  const local = (t) => t == null ? '–' : dtf.format(new Date(t));
  let now = Date.now();
  const when = (t) => t == null ? '–' : local(t) + ' (' + (now >= t ? age(now - t) + ' ago' : 'in ' + age(t - now)) + ')';
  const $ = (id) => document.getElementById(id);
  const set = (id, text) => { const el = $(id); if (el) el.textContent = text; };
  const td = (c) => { const cell = document.createElement('td');
    if (c instanceof Node) cell.append(c); else cell.textContent = c; return cell; };
  const rows = (id, items, cells) => {
    const body = $(id); if (!body) return;
    if (items.length === 0) {
      const tr = document.createElement('tr'), cell = td('none'); cell.className = 'none';
      cell.colSpan = Number(body.dataset.cols || 1); tr.append(cell); body.replaceChildren(tr); return;
    }
    body.replaceChildren(...items.map((it) => { const tr = document.createElement('tr');
      for (const c of cells(it)) tr.append(td(c)); return tr; }));
  };
  const json = (id) => { const el = $(id); try { return el ? JSON.parse(el.textContent || 'null') : null; } catch { return null; } };
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  ${chartScript()}

  const renderCharts = (h) => {
    if (!h) return;
    const o = { now, windowMs: h.windowMs };
    const pts = (f) => h.samples.map((x) => [x.at, f(x)]);
    const tick = (v) => String(Math.round(v * 100) / 100);
    drawChart('chart-pending', [{ name: 'events pending', points: pts((x) => x.pending) }], { ...o, format: tick });
    drawChart('chart-oldest', [{ name: 'oldest pending', points: pts((x) => x.oldestAgeMs) }], { ...o, format: age });
    drawChart('chart-handled', [{ name: 'handled / s', points: pts((x) => x.handledPerSecond) }],
      { ...o, format: tick, empty: 'no rate yet (needs two heartbeats)' });
    drawChart('chart-latency', [{ name: 'p50', points: pts((x) => x.p50Ms) }, { name: 'p99', points: pts((x) => x.p99Ms) }],
      { ...o, format: ms, empty: 'no replies measured yet' });
    const newest = h.samples.length ? h.samples[h.samples.length - 1].streams || {} : {};
    const top = Object.keys(newest).sort((a, b) => newest[b] - newest[a] || (a < b ? -1 : 1)).slice(0, 5);
    drawChart('chart-streams', top.map((id) => ({ name: id,
      points: pts((x) => !x.streams ? null : x.streams[id] != null ? x.streams[id] : x.streamsComplete ? 0 : null) })),
      { ...o, format: tick, empty: 'no stream waiting' });
    set('history-since', when(h.since)); set('history-samples', String(h.samples.length));
  };

  let dlqShown = null;
  const button = (label, action, id, enabled) => { const b = document.createElement('button');
    b.type = 'button'; b.textContent = label; b.dataset.action = action; b.dataset.id = id; b.disabled = !enabled; return b; };
  const actions = (e) => { const span = document.createElement('span'); span.className = 'actions';
    span.append(button('show', 'show', e.id, true), button('replay', 'replay', e.id, e.replayable), button('drop', 'drop', e.id, true));
    return span; };
  const renderDlq = (list) => {
    if (!list) return;
    dlqShown = list.total;
    rows('dlq-list', list.entries, (e) => [when(e.failedAt), e.stage, e.reason, e.streamId || '–',
      e.error ? e.error.name + ': ' + e.error.message : '–', num(e.attempts),
      e.replayable ? 'yes' : 'no' + (e.notReplayable ? ' (' + e.notReplayable + ')' : ''), actions(e)]);
    set('dlq-range', list.entries.length < list.total ? 'the oldest ' + list.entries.length + ' of ' + list.total : String(list.total));
  };
  const get = async (path) => { const r = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store' });
    if (!r.ok) throw new Error(path + ': HTTP ' + r.status); return r.json(); };
  const loadDlq = async () => { try { renderDlq(await get('api/dlq')); }
    catch (e) { set('dlq-msg', 'could not read the dead letters: ' + (e && e.message ? e.message : e)); } };

  const render = (s) => {
    now = s.generatedAt;
    const b = s.backlog, i = s.ingester, w = s.workers, h = s.handled, l = s.latency;
    set('pending', num(b && b.pending)); set('streams', num(b && b.streams)); set('oldest', age(b && b.oldestAgeMs));
    set('dlq', num(s.dlq && s.dlq.size)); set('handled', num(h && h.perSecond)); set('handled-total', num(h && h.total));
    set('p50', ms(l && l.p50Ms)); set('p99', ms(l && l.p99Ms)); set('latency-count', num(l && l.count));
    set('workers-live', num(w && w.live));
    set('leader', i && i.leader ? i.leader.id : '–'); set('leader-since', when(i && i.leader && i.leader.since));
    set('feed-id', (i && i.feed && i.feed.id) || '–'); set('feed-version', (i && i.feed && i.feed.version) || '–');
    set('leader-lease', age(i && i.leader && i.leader.leaseRemainingMs)); set('last-stored', when(i && i.feed && i.feed.lastStoredAt));
    set('last-read', age(i && i.lastReadAgeMs)); set('high-water', num(i && i.highWater));
    const ar = i && i.awaitingRedelivery; set('awaiting-redelivery', ar ? ar.events + ' events read ' + when(ar.readAt) + ' by ' + ar.readBy + ', not stored' : 'no');
    const rc = i && i.recreations, rl = rc && rc.last;
    set('recreations', !rc ? '–' : !rl ? String(rc.count) : rc.count + ' (last ' + when(rl.at) + ': ' + (rl.reason || '?') + ')');
    set('drain-waiting', num(s.queues && s.queues.drain.waiting)); set('drain-active', num(s.queues && s.queues.drain.active));
    set('scheduled-delayed', num(s.queues && s.queues.scheduled.delayed));
    rows('top-streams', s.topStreams || [], (t) => [t.streamId, String(t.pending), age(t.oldestAgeMs)]);
    rows('worker-list', (w && w.list) || [], (x) => [x.id,
      x.bot.id + ' · ' + x.bot.fingerprint + ' (' + x.bot.commands + ' commands)', x.bot.version || '–', x.host || '–',
      num(x.pid), num(x.concurrency), num(x.stats.handled), when(x.startedAt), age(x.beatAt == null ? null : s.generatedAt - x.beatAt)]);
    rows('errors', Object.entries(s.errors || {}), ([k, v]) => [k, v]);
    set('updated', local(s.generatedAt)); set('conn', 'live');
    if (s.dlq && s.dlq.size !== dlqShown && $('dlq-list')) { dlqShown = s.dlq.size; void loadDlq(); }
  };

  document.addEventListener('click', async (ev) => {
    const b = ev.target instanceof Element ? ev.target.closest('button[data-action]') : null;
    if (!b || !$('dlq-list') || !$('dlq-list').contains(b)) return;
    const id = b.dataset.id, action = b.dataset.action;
    try {
      if (action === 'show') {
        const d = await get('api/dlq/' + encodeURIComponent(id));
        set('dlq-detail-id', id); set('dlq-detail', JSON.stringify(d.data, null, 2));
        $('dlq-detail-box').hidden = false; return;
      }
      const question = action === 'replay'
        ? 'Replay dead letter ' + id + '? Its event goes back to the end of its stream\\'s mailbox and is handled again.'
        : 'Drop dead letter ' + id + '? It is deleted for good.';
      if (!window.confirm(question)) return;
      const r = await fetch('api/dlq/' + encodeURIComponent(id) + '/' + action, { method: 'POST',
        headers: { accept: 'application/json', 'x-csrf-token': csrf } });
      const body = await r.json().catch(() => ({}));
      if (!r.ok) throw new Error(body.error || 'HTTP ' + r.status);
      set('dlq-msg', action === 'replay' ? 'replayed ' + id + ' into stream ' + body.replayed.streamId : 'dropped ' + id);
      if ($('dlq-detail-id') && $('dlq-detail-id').textContent === id) $('dlq-detail-box').hidden = true;
      await loadDlq();
    } catch (e) { set('dlq-msg', action + ' ' + id + ' failed: ' + (e && e.message ? e.message : e)); }
  });

  const initial = json('initial-status');
  if (initial) { render(initial); set('conn', 'server-rendered'); }
  renderCharts(json('initial-history'));
  const tick = async () => {
    try { const [s, h] = await Promise.all([get('api/status'), get('api/history')]); render(s); renderCharts(h); }
    catch (e) { set('conn', 'refresh failed: ' + (e && e.message ? e.message : e)); }
  };
  setInterval(tick, ${Math.max(250, Math.floor(refreshMs))});
})();`;
}
