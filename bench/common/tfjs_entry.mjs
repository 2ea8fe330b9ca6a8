// TensorFlow.js as a TF.js user of the core packages writes it: tfjs-core, its gradients (the
// core bundles leave them out: `@tensorflow/tfjs` registers them, so with the core packages the
// user imports register_all_gradients), the cpu backend and the wasm backend. bench/compare
// bundles this file with esbuild once for node and once for the browser worker
// (harness/build.mjs); nothing is fetched from a CDN.
export * from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
export { setWasmPaths, setThreadsCount, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
