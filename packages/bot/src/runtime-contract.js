export {};
//# sourceMappingURL=runtime-contract.js.map
