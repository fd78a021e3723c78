/**
 * The page's only script (inline, nonce'd): every `refreshMs` it fetches the JSON twin and rewrites the
 * fields and tables with textContent (never innerHTML), using the same formatting rules as format.ts.
 */
export function statusPageScript(refreshMs: number): string {
  return `(() => {
  const age = (ms) => ms == null ? '–' : ms < 1000 ? Math.round(ms) + ' ms' : ms < 60000 ? (ms / 1000).toFixed(1) + ' s'
    : ms < 3600000 ? Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s' : (ms / 3600000).toFixed(1) + ' h';
  const num = (n) => n == null ? '–' : String(n);
  const time = (t) => t == null ? '–' : new Date(t).toISOString();
  const set = (id, text) => { const el = document.getElementById(id); if (el) el.textContent = text; };
  const rows = (id, items, cells) => {
    const body = document.getElementById(id); if (!body) return;
    body.replaceChildren(...items.map((it) => { const tr = document.createElement('tr');
      for (const c of cells(it)) { const td = document.createElement('td'); td.textContent = c; tr.append(td); } return tr; }));
  };
  const render = (s) => {
    const b = s.backlog, i = s.ingester, w = s.workers, h = s.handled;
    set('pending', num(b && b.pending)); set('streams', num(b && b.streams)); set('oldest', age(b && b.oldestAgeMs));
    set('dlq', num(s.dlq && s.dlq.size)); set('handled', num(h && h.perSecond)); set('handled-total', num(h && h.total));
    set('workers-live', num(w && w.live));
    set('leader', i && i.leader ? i.leader.id : '–'); set('leader-since', time(i && i.leader && i.leader.since));
    set('feed-id', (i && i.feed && i.feed.id) || '–'); set('feed-version', (i && i.feed && i.feed.version) || '–');
    set('leader-lease', age(i && i.leader && i.leader.leaseRemainingMs)); set('last-stored', time(i && i.feed && i.feed.lastStoredAt));
    set('last-read', age(i && i.lastReadAgeMs)); set('high-water', num(i && i.highWater));
    const rc = i && i.recreations, rl = rc && rc.last;
    set('recreations', !rc ? '–' : !rl ? String(rc.count) : rc.count + ' (last ' + time(rl.at) + ': ' + (rl.reason || '?') + ')');
    set('drain-waiting', num(s.queues && s.queues.drain.waiting)); set('drain-active', num(s.queues && s.queues.drain.active));
    set('scheduled-delayed', num(s.queues && s.queues.scheduled.delayed));
    rows('top-streams', s.topStreams || [], (t) => [t.streamId, String(t.pending), age(t.oldestAgeMs)]);
    rows('worker-list', (w && w.list) || [], (x) => [x.id,
      x.bot.id + ' · ' + x.bot.fingerprint + ' (' + x.bot.commands + ' commands)', x.host || '–', num(x.pid), num(x.concurrency),
      num(x.stats.handled), age(x.beatAt == null ? null : s.generatedAt - x.beatAt)]);
    rows('errors', Object.entries(s.errors || {}), ([k, v]) => [k, v]);
    set('updated', time(s.generatedAt)); set('conn', 'live');
  };
  const tick = async () => {
    try { const r = await fetch('api/status', { headers: { accept: 'application/json' }, cache: 'no-store' });
      if (!r.ok) throw new Error('HTTP ' + r.status); render(await r.json()); }
    catch (e) { set('conn', 'refresh failed: ' + (e && e.message ? e.message : e)); }
  };
  setInterval(tick, ${Math.max(250, Math.floor(refreshMs))});
})();`;
}
