/**
 * runs/<runId>/preprocessing.json: everything needed to turn a raw row into model input (the
 * label map, the target's scale, the tokenizer or the table features), fitted on training rows.
 */
import { z } from 'zod';
import { fittedTokenizerSchema } from '../text/tokenizer';
import { fittedTabularFeaturesSchema } from './tabular-features';

export const PREPROCESSING_FORMAT_VERSION = 1;

const base = {
  formatVersion: z.literal(PREPROCESSING_FORMAT_VERSION),
  labelColumn: z.string(),
  outputKind: z.enum(['binary', 'multiclass', 'regression']),
  /** Class labels in output order (for binary, [negative, positive]); empty for regression. */
  labels: z.array(z.string()),
  /** Regression targets are trained standardized; predictions are mapped back with these. */
  target: z.object({ mean: z.number(), std: z.number() }).nullable(),
};

export const preprocessingSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('text'), textColumns: z.array(z.string()).min(1), tokenizer: fittedTokenizerSchema }),
  z.object({ ...base, kind: z.literal('tabular'), features: fittedTabularFeaturesSchema }),
]);
export type Preprocessing = z.infer<typeof preprocessingSchema>;
