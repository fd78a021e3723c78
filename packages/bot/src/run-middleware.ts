import type { Middleware, MiddlewareContext } from './context.ts';
import { NextCalledTwiceError } from './errors.ts';

/** Runs the middleware chain around `final`; each middleware may call `next()` once (or not at all, to stop). */
export async function runMiddleware(
  middlewares: readonly Middleware[],
  ctx: MiddlewareContext,
  final: () => Promise<void>,
): Promise<void> {
  const dispatch = async (i: number): Promise<void> => {
    const mw = middlewares[i];
    if (!mw) return final();
    let called = false;
    await mw(ctx, async () => {
      if (called) throw new NextCalledTwiceError();
      called = true;
      await dispatch(i + 1);
    });
  };
  await dispatch(0);
}
