/**
 * Serving a model source (a run or a `.mpmodel`) through whatever holds the models: in the app
 * the compute worker (ComputeWorker has both methods), in tests an in-process predictor.
 */
import type { Row } from '../../contract/data';
import { servingStartRequestSchema, type ModelInfo, type ModelSource, type PredictResponse, type ServingSnippets, type ServingStartRequest } from '../../contract/export';
import { CoreError } from '../errors';
import { startPredictionServer, type PredictionServer } from './server';
import { servingSnippets } from './snippets';

/** What can describe a model and score rows with it. */
export interface ModelBackend {
  describeModel(source: ModelSource): Promise<ModelInfo>;
  predict(request: { source: ModelSource; rows: Row[] }): Promise<PredictResponse>;
}

export interface ServingHandle extends PredictionServer {
  model: ModelInfo;
  snippets: ServingSnippets;
}

/** Loads the model (so a broken file fails here, not on the first request) and starts the API. */
export async function startServing(backend: ModelBackend, request: ServingStartRequest, onRequest?: Parameters<typeof startPredictionServer>[0]['onRequest']): Promise<ServingHandle> {
  const parsed = servingStartRequestSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CoreError('invalid_payload', `serving: ${issue?.path.join('.')} ${issue?.message}`, { field: issue?.path.join('.') ?? '' });
  }
  const { source, port, maxBodyBytes } = parsed.data;
  const model = await backend.describeModel(source);
  const server = await startPredictionServer({ model, port, maxBodyBytes, onRequest, predict: (rows) => backend.predict({ source, rows }) });
  return Object.assign(server, { model, snippets: servingSnippets({ port: server.port, input: model.input }) });
}
