/** The part of the pod simulator's control API a bot user needs (structural: this package does not import it). */
export interface BotUserControl {
  generateKeyPair(): { privateKeyPem: string; publicKeyPem: string };
  createUser(input: { username: string; displayName?: string; publicKeyPem?: string; bot?: boolean }): {
    userId: number;
  };
}

export interface SimBotUser {
  userId: number;
  username: string;
  /** The bot's RSA key: the simulator holds the public half, the bot signs its login JWT with this one. */
  privateKeyPem: string;
}

/** A service-account user on the simulator with a fresh key pair, as a stack's bot logs in with. */
export function createSimBotUser(
  control: BotUserControl,
  username: string,
  displayName = username,
): SimBotUser {
  const { privateKeyPem, publicKeyPem } = control.generateKeyPair();
  const { userId } = control.createUser({ username, displayName, publicKeyPem, bot: true });
  return { userId, username, privateKeyPem };
}
