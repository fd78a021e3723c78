import { BotFrameworkError } from '../errors.ts';

/**
 * The test kit's refusal of `ctx.updateMessage` (the message is not one the bot posted in that stream, or it has
 * already been replaced by a newer version): the same code as the Symphony client's `MessageUpdateRefusedError`,
 * so a bot that branches on `err.code === 'SYMPHONY_UPDATE_REFUSED'` is tested as it runs.
 */
export class UpdateRefusedError extends BotFrameworkError {
  constructor(message: string) {
    super('SYMPHONY_UPDATE_REFUSED', message);
  }
}
