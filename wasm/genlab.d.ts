// Hand-written types of the GenLab WebAssembly module (genlab.mjs). Emscripten 3.1.6 cannot emit
// them. Every method that fails throws a JavaScript Error whose message names the problem; for a
// bad setting the message starts with the key ("lr: '-1' is not valid …").

export interface FieldInfo {
  key: string;
  type: 'int' | 'float' | 'bool' | 'enum' | 'intlist';
  group: 'general' | 'vae' | 'gan' | 'optimizer';
  help: string;
  min: number;            // int, float, intlist elements
  max: number;
  choices: string[];      // enum
  default: string;        // text form, as in a URL
}

export interface PresetInfo {
  name: string;
  description: string;
  settings: Record<string, string>;  // the keys the preset changes from the defaults
}

export interface StepStats {
  steps: number;          // steps run by this call
  totalSteps: number;     // since configure
  epoch: number;          // fractional epochs (0 for the analytic 2-D sets)
  finite: boolean;        // false: a loss became NaN/±inf and training stopped there
  loss: number; recon: number; kl: number; beta: number;          // VAE
  dLoss: number; gLoss: number; dReal: number; dFake: number;      // GAN
}

export interface Session {
  // Applies settings over the defaults (keys of the schema, values as text or numbers),
  // validates, and rebuilds data and model. On error the session is unchanged.
  configure(settings: Record<string, string | number | boolean>): void;
  // The current configuration, every key as text.
  config(): Record<string, string>;
  // Image assets (.glds bytes) of an image data set such as "mnist28".
  provideImages(dataset: string, train: Uint8Array, test: Uint8Array): void;
  hasImages(dataset: string): boolean;
  // User points for the "points" data set: CSV text of "x,y" lines, or packed x,y floats.
  // While configured on "points" the run is rebuilt on the new set; if that fails (e.g. fewer
  // points than the batch) the error is thrown and the previous points stay.
  setPointsCsv(text: string): number;   // returns the number of points
  setPoints(xy: Float32Array): void;

  train(n: number): StepStats;          // VAE steps or GAN iterations
  trainD(n: number): StepStats;         // GAN: discriminator-only steps
  trainG(n: number): StepStats;         // GAN: generator-only steps
  steps(): number;

  evaluate(iwaeK: number): Record<string, number>;
  classifierAccuracy(): number;

  // Views: row-major Float32Arrays (2-D data: x, y pairs; images: pixels in [0, 1]).
  dataDim(): number;
  isImage(): boolean;
  dataBox(): Float32Array;              // [x0, x1, y0, y1]
  realSamples(n: number): Float32Array;
  samples(n: number): Float32Array;     // from fixed noise: comparable frame to frame
  discriminatorField(x0: number, x1: number, y0: number, y1: number, res: number): Float32Array;  // res ∈ [2, 512]; res² values, row 0 = top
  discriminatorIsProbability(): boolean;
  generatorGradients(n: number): Float32Array;   // ∂L_G/∂x at samples(n)
  noiseGridWarp(res: number): Float32Array;      // G over a res×res grid of noise dims 0, 1
  reconstructions(n: number): { inputs: Float32Array; outputs: Float32Array };
  latentCodes(n: number): { codes: Float32Array; labels: Uint8Array; dim: number };  // labels empty for 2-D sets
  latentGrid(res: number, extent: number, dimX: number, dimY: number): Float32Array;
  interpolate(i: number, j: number, steps: number): Float32Array;
  history(): Float32Array;              // 4 floats per point: step, a, b, c (VAE: loss, recon, kl; GAN: dLoss, gLoss, dReal)

  // The trained model as a versioned file (config + weights + optimizer state + checksum).
  saveModel(): Uint8Array;
  // Replaces the model with a saved one; a corrupt or mismatched file throws and changes nothing.
  loadModel(bytes: Uint8Array): void;

  // The session keeps the model of the last finite step every 200 steps (and after configure or
  // load). When train() reports finite: false, restoreCheckpoint() returns to it and gives its
  // step count (−1 if there is none).
  restoreCheckpoint(): number;
  checkpointSteps(): number;

  delete(): void;                       // frees the C++ object (Embind)
}

export interface GenlabModule {
  version(): string;
  simd(): string;
  simdEnabled(): boolean;
  /** Threads the kernels use: 2 in the threaded module genlab-mt.mjs, 1 in genlab.mjs. */
  threads(): number;
  schema(): FieldInfo[];
  presets(): PresetInfo[];
  datasets(): string[];
  // Validates settings without building anything; returns null or the error message.
  checkConfig(settings: Record<string, string | number | boolean>): string | null;
  parsePointsCsv(text: string): Float32Array;   // x, y pairs; throws an Error naming the bad line
  liveSessions(): number;               // Session objects not yet deleted
  heapStats(): { used: number; arena: number; memory: number };  // malloc bytes in use, wasm memory size
  Session: { new (): Session };
}

export default function createGenlab(options?: { wasmBinary?: ArrayBuffer | Uint8Array; locateFile?: (path: string) => string }): Promise<GenlabModule>;
