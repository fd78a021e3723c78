import type { BatonEvent } from '@baton/shared/events';
import type { BotRegistry } from './bot-registry.ts';
import type { DispatchContext } from './dispatch-context.ts';
import type { DispatchPlan } from './dispatch-plan.ts';

/** An Elements form submission runs the handler registered for its form id (`ctx.values`, `ctx.action`). */
export function planForm(
  registry: BotRegistry,
  event: Extract<BatonEvent, { type: 'SYMPHONYELEMENTSACTION' }>,
  ctx: DispatchContext,
): DispatchPlan {
  const action = event.payload.symphonyElementsAction;
  ctx['formId'] = action.formId;
  ctx['formMessageId'] = action.formMessageId;
  ctx['values'] = action.formValues;
  ctx['action'] = typeof action.formValues['action'] === 'string' ? action.formValues['action'] : undefined;
  const handler = registry.forms.get(action.formId);
  return {
    kind: 'form',
    run: async () => {
      if (handler) await handler(ctx as never);
      else if (!registry.listeners.has('SYMPHONYELEMENTSACTION'))
        ctx.log.debug({ formId: action.formId }, 'no form handler');
    },
  };
}
