export {};
//# sourceMappingURL=bot-types.js.map
