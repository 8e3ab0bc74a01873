/**
 * Entry of the standalone prediction runtime (examples/modelpilot-runtime.mjs in an exported
 * bundle). esbuild bundles it with everything it imports (the recipe, tokenizer, table encoder,
 * CSV reader, papaparse, zod) into one ES module that needs only Node and the user's
 * @tensorflow/tfjs, which the caller passes in. Keep this list small: it is a public surface.
 */
export { BUNDLE_FORMAT_VERSION } from '../../contract/export';
export { loadBundleFolder, checkModelRecipe, type OpenedBundle } from './bundle-folder';
export { predictRows, PREDICT_BATCH_ROWS } from './predict-core';
export { inputSchemaOf, missingInputColumns, encodeRows, decodeOutputs, textOfRow, type ModelRecipe } from './preprocess';
export { parseTableText, predictionsToCsv, answerColumns, formatConfidence, formatPrediction } from './csv';
export { CoreError } from '../errors';
