// Hand-written types of the GenLab WebAssembly module (genlab.mjs / genlab-mt.mjs), kept beside
// wasm/bindings.cpp (Emscripten 3.1.6 cannot emit them). The page's JavaScript is type-checked
// against this file in the test command (tsconfig.json: checkJs, noEmit), so a binding that
// changes shape breaks the build of the tests, not a student's page.
//
// Errors: every method that fails throws a GenlabError, a JavaScript Error carrying
// `key` (the setting at fault, or null) and `kind`. No caller needs to read the message's text.

export type ErrorKind = 'config' | 'file' | 'input' | 'state' | 'internal';

export interface GenlabError extends Error {
  key: string | null;     // a setting key for kind 'config' (e.g. 'lr'), else null
  kind: ErrorKind;        // config: a bad setting; file: a model file the strict reader rejects;
                          // input: bad data or arguments; state: a call out of order
}

// One problem found by checkConfig.
export interface ConfigProblem {
  key: string | null;
  message: string;
}

export interface FieldInfo {
  key: string;
  type: 'int' | 'float' | 'bool' | 'enum' | 'intlist';
  group: string;          // a settings group ('general', 'vae', 'gan', 'optimizer'); model kinds list theirs
  help: string;
  when: string;           // when the setting does anything (web/relevance.js); '' = always
  live: boolean;          // changes apply to the running model (Session.retune) without a new run
  min: number;            // int, float, intlist elements
  max: number;
  choices: string[];      // enum (the model kinds and data sets come from the core's registries)
  default: string;        // text form, as in a URL
}

export interface PresetInfo {
  name: string;
  description: string;
  settings: Record<string, string>;  // the keys the preset changes from the defaults
  expectSteps: number;    // steps it typically needs before its picture is meaningful (0: not measured)
  expectWhat: string;     // what "meaningful" means: 'modes' | 'elbo' | 'classes' | ''
}

// One entry of the core's data-set table (src/genlab/data/datasets.txt).
export interface DatasetInfo {
  name: string;           // 'ring8', 'mnist28', …
  kind: 'toy2d' | 'points' | 'image';
  title: string;          // for people
  dim: number;            // values per example (2, or side²)
  side: number;           // image side in pixels (0 for 2-D data)
  source: string;         // the packaged files an image set is read from ('' for 2-D data)
  classNames: string[];   // class labels of a labelled set (empty otherwise)
  hasModes: boolean;      // the analytic sets whose modes the metrics count
}

// One entry of the core's model-kind registry (src/genlab/models/registry.cpp).
export interface ModelKindInfo {
  name: string;           // 'vae', 'gan'
  title: string;
  groups: string[];       // the settings groups that apply to this kind
  parts: string[];        // networks that can be trained alone with trainPart ('d', 'g'; empty for a VAE)
  channels: string[];     // history channels, in history() order ('loss', 'recon', 'kl' / 'd_loss', …)
  views2d: string[];      // what the kind shows on 2-D data
  viewsImage: string[];   // what it shows on images
}

// What one train() / trainPart() call did. The loss fields a model kind does not have are 0.
export interface StepStats {
  steps: number;          // steps run by this call
  totalSteps: number;     // since configure
  epoch: number;          // fractional epochs (0 for the analytic 2-D sets)
  finite: boolean;        // false: a loss became NaN/±inf and training stopped there
  loss: number; recon: number; kl: number; beta: number;             // VAE (last step / mean)
  dLoss: number; gLoss: number; dReal: number; dFake: number;         // GAN
  encGrad: number; decGrad: number; gGrad: number; dGrad: number;     // gradient norms per network
}

// What the configured run is, for the page to lay itself out (Session.info()).
export interface RunInfo {
  model: string;
  dataset: string;
  image: boolean;
  dataDim: number;
  side: number;           // image side, 0 for 2-D data
  latent: number;         // latent dimensions of an autoencoder, else 0
  classes: number;        // classes of a class-conditional model, else 0
  probability: boolean;   // the critic's output is a probability (else a raw score)
  box: Float32Array;      // [x0, x1, y0, y1] of the 2-D data
  views: string[];        // the views this run offers
  channels: string[];     // its history channels
  parts: string[];        // networks trainable alone
  groups: string[];       // settings groups that apply
  parameters: number;     // trained parameters, from the architecture spec
}

export interface HeapStats {
  used: number;           // bytes in use by malloc
  arena: number;          // bytes malloc has taken from the heap
  memory: number;         // size of wasm memory
}

export interface ModelFileInfo {
  format?: 'safetensors'; // absent for a GenLab model file
  plain?: boolean;        // a .safetensors file without GenLab's metadata: no kind, steps or config
  kind: string;           // model kind the file holds
  steps?: number;         // model files only
  config: Record<string, string>;  // every setting, as text
}

export interface History {
  channels: string[];
  data: Float32Array;     // 1 + channels.length floats per point: step, then each channel
}

export interface Session {
  // Applies settings over the defaults (keys of the schema, values as text or numbers),
  // validates, and rebuilds data and model. On error the session is unchanged.
  configure(settings: Record<string, string | number | boolean>): void;
  /** Applies a change of live settings only (Field.live) to the running model: weights, optimizer state, steps and history stay. Throws {key} of the first setting that needs a new run. */
  retune(settings: Record<string, string | number | boolean>): void;
  // The current configuration, every key as text.
  config(): Record<string, string>;
  info(): RunInfo;
  // The architecture spec of the current model as JSON text (see ArchSpec::to_json).
  architecture(): string;
  // Image assets (.glds bytes) of an image data set such as "mnist28".
  provideImages(dataset: string, train: Uint8Array, test: Uint8Array): void;
  hasImages(dataset: string): boolean;
  // User points for the "points" data set: CSV text of "x,y" lines, or packed x,y floats.
  // While configured on "points" the run is rebuilt on the new set; if that fails (e.g. fewer
  // points than the batch) the error is thrown and the previous points stay.
  setPointsCsv(text: string): number;   // returns the number of points
  setPoints(xy: Float32Array): void;

  train(n: number): StepStats;                 // n training iterations of the model kind
  trainPart(part: string, n: number): StepStats;  // n steps of one network (RunInfo.parts)
  steps(): number;
  /** Epochs of data seen, a loaded model file's included; 0 on analytic 2-D data. */
  epoch(): number;

  evaluate(iwaeK: number): Record<string, number>;
  /** evaluate() without what needs the image classifier (class_*, classifier_*): none is trained now. */
  evaluateWithoutJudge(iwaeK: number): Record<string, number>;
  classifierAccuracy(): number;
  /** The metrics' image classifier for a data set as flat weights (trained now if it is not yet: seconds). */
  judgeWeights(dataset: string): Float32Array;
  /** Installs judgeWeights' result (from another session with the same data set's images) instead of training; kept for that set until new images of it. */
  installJudge(dataset: string, weights: Float32Array): void;
  /** What makes that classifier's bits, in words (version, shapes, seed, steps, image counts): a stored judge fits where it reads the same. */
  judgeRecipe(dataset: string): string;
  /** How many metrics' judges this session trained itself rather than had installed. */
  judgesTrained(): number;

  // Views: row-major Float32Arrays (2-D data: x, y pairs; images: pixels in [0, 1]).
  realSamples(n: number): Float32Array;
  samples(n: number): Float32Array;     // from fixed noise: comparable frame to frame
  // Conditional models: the class samples (and the manifold, the interpolation) are drawn for;
  // -1: sample row r gets class r mod classes. Throws outside [-1, classes).
  setSampleClass(c: number): void;
  discriminatorField(x0: number, x1: number, y0: number, y1: number, res: number): Float32Array;  // res ∈ [2, 512]; res² values, row 0 = top
  generatorGradients(n: number): Float32Array;   // ∂L_G/∂x at samples(n)
  noiseGridWarp(res: number): Float32Array;      // G over a res×res grid of noise dims 0, 1
  reconstructions(n: number): { inputs: Float32Array; outputs: Float32Array };
  latentCodes(n: number): { codes: Float32Array; labels: Uint8Array; dim: number };  // labels empty for 2-D sets
  latentGrid(res: number, extent: number, dimX: number, dimY: number): Float32Array;
  interpolate(i: number, j: number, steps: number): Float32Array;
  history(): History;

  // The trained model as a versioned file (config + weights + optimizer state + checksum).
  saveModel(): Uint8Array;
  // Replaces the model with a saved one; a corrupt or mismatched file throws and changes nothing.
  loadModel(bytes: Uint8Array): void;   // a model file, or .safetensors weights (io/README.md)
  exportSafetensors(): Uint8Array;      // the weights with PyTorch's names and GenLab's metadata
  exportTrainingPoints(n: number): Uint8Array;  // 2-D sets: n draws (x, y) as .safetensors

  // The session keeps the model of the last finite step every 200 steps (and after configure or
  // load). When train() reports finite: false, restoreCheckpoint() returns to it and gives its
  // step count (−1 if there is none).
  restoreCheckpoint(): number;
  checkpointSteps(): number;

  delete(): void;                       // frees the C++ object (Embind)
}

export interface GenlabModule {
  Session: { new (): Session };
  version(): string;
  simd(): string;
  simdEnabled(): boolean;
  /** Threads the module has: 2 for genlab-mt.mjs, else 1. */
  threads(): number;
  /** Use n threads for training from now on (clamped to [1, threads()]); returns the count in use. Same bits either way. */
  setThreads(n: number): number;
  schema(): FieldInfo[];
  presets(): PresetInfo[];
  datasets(): DatasetInfo[];
  modelKinds(): ModelKindInfo[];
  // null when the settings (over the defaults) are valid, else the first problem.
  checkConfig(settings: Record<string, string | number | boolean>): ConfigProblem | null;
  // The architecture spec the settings would build, as JSON (no weights allocated).
  architecture(settings: Record<string, string | number | boolean>): string;
  // What a model file holds, without loading it; throws (kind 'file') for a file the reader rejects.
  modelFileInfo(bytes: Uint8Array): ModelFileInfo;
  parsePointsCsv(text: string): Float32Array;
  heapStats(): HeapStats;
  liveSessions(): number;
}

declare function createGenlab(options?: Record<string, unknown>): Promise<GenlabModule>;
export default createGenlab;
