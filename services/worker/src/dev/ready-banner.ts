import type { StackInfo } from './create-stack.ts';

/** What the banner says about the bot: its name as given, and the folder watched for changes (if any). */
export interface BannerBot {
  given: string;
  /** The folder whose changes reload the workers, as shown (relative to the project); undefined: not watched. */
  watching: string | undefined;
}

/**
 * What `baton dev` (`pnpm start`) prints once every process is healthy. The lines `  <label>  <url>` and
 * `  pids  name=pid ...` are stable: test/start-stack.test.ts reads them.
 */
export function readyBanner(info: StackInfo, bot: BannerBot): string {
  const rows: [string, string][] = [];
  if (info.chatUrl) rows.push(['chat page', info.chatUrl]);
  if (info.simUrl) rows.push(['sim control', `${info.simUrl}/_sim`]);
  if (info.dashboardUrl) {
    rows.push(['dashboard', info.dashboardUrl]);
    rows.push(['queues', `${info.dashboardUrl}queues`]);
  }
  for (const [name, url] of Object.entries(info.metrics)) rows.push([`${name} metrics`, url]);
  if (info.marketDataUrl) rows.push(['market data', `${info.marketDataUrl.replace(/\/$/, '')}/`]);
  rows.push(['redis', info.redisUrl.replace(/\/\/[^@/]*@/, '//***@')]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const pids = Object.entries(info.pids)
    .map(([name, pid]) => `${name}=${pid ?? '-'}`)
    .join(' ');
  return [
    'Baton is up.',
    ...rows.map(([label, url]) => `  ${label.padEnd(width)}  ${url}`),
    `  ${'pids'.padEnd(width)}  ${pids}`,
    bot.watching !== undefined
      ? `Bot ${bot.given}: saving a file under ${bot.watching} reloads the workers.`
      : `Bot ${bot.given}: a package, not watched (restart to pick up changes).`,
    info.chatUrl
      ? `Open the chat page, pick alice, open "Trading Desk" and type: @${info.botUsername} /help`
      : '',
    'Ctrl-C stops everything.',
  ]
    .filter((l) => l !== '')
    .join('\n');
}
