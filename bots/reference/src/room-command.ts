import type { Bot } from '@baton/bot';
import { mention } from '@baton/bot';

/**
 * `/room create <name> [@members…]`: an admin action. Creates the room, adds the requester and the members,
 * posts a welcome in the new room. The new room id is remembered per event, so a retried event reuses the
 * room instead of creating a second one.
 */
export function registerRoom(bot: Bot, opts: { allowedUsers?: number[] } = {}): Bot {
  return bot.command('/room create {name:string} [members:mention...]', {
    description: 'Create a room with you and the people you mention in it',
    examples: ['/room create "Q3 desk" @alice @bob', '/room create rates-desk'],
    ...(opts.allowedUsers ? { allow: { users: opts.allowedUsers } } : {}),
    handler: async (ctx) => {
      const name = ctx.args.name.trim();
      if (name.length === 0 || name.length > 100) {
        await ctx.reply('A room name needs 1 to 100 characters.');
        return;
      }
      const doneKey = `room-create:${ctx.eventKey}`;
      let roomId = await ctx.state.get<string>(doneKey);
      if (roomId === undefined) {
        const room = await ctx.client.createRoom({
          name,
          description: `Created by ${ctx.user.displayName ?? `user ${ctx.user.userId}`} with /room create`,
          membersCanInvite: true,
          discoverable: false,
          public: false,
        });
        roomId = room.roomSystemInfo.id;
        await ctx.state.set(doneKey, roomId, 7 * 24 * 3600);
        ctx.log.info({ roomId, name }, 'room created');
      }
      const memberIds = [ctx.user.userId, ...ctx.args.members.map((m) => m.userId)].filter(
        (id, i, all) => id !== ctx.botUser.userId && all.indexOf(id) === i,
      );
      for (const userId of memberIds) await ctx.client.addMember(roomId, userId);
      const others = memberIds.filter((id) => id !== ctx.user.userId);
      const otherMentions = others.map((id, i) => [i > 0 ? ', ' : '', mention(id)]);
      const count = `${memberIds.length} member${memberIds.length === 1 ? '' : 's'}`;
      await ctx.send(
        roomId,
        ctx.messageML`<p>Welcome to <b>${name}</b>! ${mention(ctx.user.userId)} created this room${
          others.length > 0 ? ctx.messageML` with ${otherMentions}` : ''
        }.</p>`,
      );
      // The count and the list agree: the requester ("you") is one of the members.
      await ctx.reply(
        ctx.messageML`Created room <b>${name}</b> with ${count}: you${
          others.length > 0 ? ctx.messageML`, ${otherMentions}` : ''
        }.`,
      );
    },
  });
}
