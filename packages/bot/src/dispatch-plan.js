/** A plan that runs nothing (the listeners still run). */
export const NOTHING_TO_RUN = async () => {};
//# sourceMappingURL=dispatch-plan.js.map
