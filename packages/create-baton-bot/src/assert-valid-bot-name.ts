import { ScaffoldError } from './scaffold-error.ts';

const NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const MAX_LENGTH = 214; // npm's limit for a package name

/**
 * A bot name is its package name: lowercase letters, digits and `-` (not first nor last), at most 214
 * characters. `from` says where it came from (the `--name` flag or the folder's name), for the message.
 */
export function assertValidBotName(name: string, from: 'flag' | 'folder'): void {
  if (name.length <= MAX_LENGTH && NAME.test(name)) return;
  const rule = 'use lowercase letters, digits and "-"';
  throw new ScaffoldError(
    'INVALID_NAME',
    from === 'flag'
      ? `invalid --name ${JSON.stringify(name)}: ${rule}`
      : `the folder's name ${JSON.stringify(name)} is not a valid bot name: ${rule}, or pass --name <bot-name>`,
  );
}
