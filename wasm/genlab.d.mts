// The module as the worker imports it ('./genlab.mjs' beside the page): the types of genlab.d.ts.
export * from './genlab';
export { default } from './genlab';
