// The threaded module ('./genlab-mt.mjs', same interface): the types of genlab.d.ts.
export * from './genlab';
export { default } from './genlab';
