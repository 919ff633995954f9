// `GET /v1/health` (open): tells a OneMap hub from any other server at an address. The web shell
// asks its own origin with it to learn whether it was opened from a hub.
import { z } from 'zod';

export const hubHealthSchema = z.object({
  hub: z.literal('onemap'),
  /** The API's version (semver; `/v1/` paths stay compatible within major version 1). */
  version: z.string().min(1),
  status: z.literal('ok'),
  /** The database schema version (number of the last migration applied). */
  schema: z.int().min(0),
});
export type HubHealth = z.infer<typeof hubHealthSchema>;
