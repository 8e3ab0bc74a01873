/**
 * The data step's public functions (import, audit, roles, recipe, split). The UI reaches them
 * through the contract's data:* channels; the CLI and the training code call them directly.
 */
export { importDataset, rolesFor } from './import-dataset';
export { auditDataset, auditFile, loadRows, readRows, splitDataset, sourcePath, assertLabel, type FileAudit } from './dataset';
export { auditTable } from './audit';
export { detectSource, scanTable, type SourceSniff } from './read-table';
export { detectEncoding, SAMPLE_BYTES, type EncodingGuess } from './detect-encoding';
export { detectDialect } from './detect-dialect';
export { inferRole, inferRoles, setRole, labelOf, taskTypeFor, assertUsableLabel } from './infer-roles';
export { emptyRecipe, parseRecipe, addStep, removeStep, undoLastStep, fit, apply, applyUnfitted, describeStep, describeRecipe, needsFitting } from './recipe';
export { assignSplits, splitRows, prepareSplits, countOverlap, allocate } from './split';
export type { JobControl } from './byte-source';
export type { RowSink } from './row-sink';
