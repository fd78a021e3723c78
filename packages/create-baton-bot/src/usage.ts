/** The `--help` text. */
export function usage(defaultBatonVersion: string): string {
  return `Usage: create-baton-bot <dir> [options]

Creates a standalone Baton bot project (a Symphony chatbot) in a new folder <dir>.

Options:
  --name <bot-name>        Package name of the bot: lowercase letters, digits and "-"
                           (default: the folder's name)
  --baton-version <range>  Version range of the @baton/* packages (default: ${defaultBatonVersion})
  --tarballs <dir>         Take the @baton/* packages from \`pnpm pack\` tarballs in <dir>
                           (baton-bot-0.1.0.tgz, baton-worker-0.1.0.tgz…) instead of the registry
  --force                  Write into a folder that is not empty (overwrites files of the same name)
  -h, --help               Show this help

Example:
  pnpm create baton-bot my-bot && cd my-bot && pnpm install && pnpm dev`;
}
