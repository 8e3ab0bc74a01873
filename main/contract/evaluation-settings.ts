/**
 * project.json `evaluation`: the Evaluation step's decision that outlives a session, the run to
 * ship. Depends on zod only, so schemas.ts (project.json) can import it without a cycle.
 */
import { z } from 'zod';

export const projectEvaluationSchema = z.object({
  /** The run the user picked in "Compare runs" to export and serve; absent: the latest finished run. */
  chosenRunId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  chosenAt: z.string().optional(),
});
export type ProjectEvaluation = z.infer<typeof projectEvaluationSchema>;
