import { BotFrameworkError } from './errors.js';
/** Runs the middleware chain around `final`; each middleware may call `next()` once (or not at all, to stop). */
export async function runMiddleware(middlewares, ctx, final) {
  const dispatch = async (i) => {
    const mw = middlewares[i];
    if (!mw) return final();
    let called = false;
    await mw(ctx, async () => {
      if (called) throw new BotFrameworkError('NEXT_CALLED_TWICE', 'middleware called next() twice');
      called = true;
      await dispatch(i + 1);
    });
  };
  await dispatch(0);
}
//# sourceMappingURL=run-middleware.js.map
