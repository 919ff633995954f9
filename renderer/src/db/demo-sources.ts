// Which bundled demo files each demo layer's base was packed from, so a start whose files are the
// same (same content-addressed URLs) need not fetch and hash them again: seeding them would write
// nothing. Kept in meta `seed-sources`; a store without it (or changed files) is seeded as before.
import type { OneMapDatabase } from './schema';
import { META_KEYS } from './records';

/** A demo file as bundled: the layer it feeds and its URL (its name carries a content hash). */
export interface DemoFileSource {
  layerId: string;
  url: string;
}

type SourcesRecord = Record<string, { urls: string[]; seedVersion: string }>;

function urlsByLayer(files: readonly DemoFileSource[]): Map<string, string[]> {
  const byLayer = new Map<string, string[]>();
  for (const file of files) byLayer.set(file.layerId, [...(byLayer.get(file.layerId) ?? []), file.url]);
  return byLayer;
}

async function readSources(database: OneMapDatabase): Promise<SourcesRecord> {
  const value = (await database.meta.get(META_KEYS.demoSeedSources))?.value;
  return value !== null && typeof value === 'object' ? (value as SourcesRecord) : {};
}

/**
 * The demo layers whose base is still the one packed from exactly these files (same URLs, base
 * seed version unchanged since): seeding them again would change nothing.
 */
export async function demoLayersUpToDate(database: OneMapDatabase, files: readonly DemoFileSource[]): Promise<Set<string>> {
  const recorded = await readSources(database);
  const current = new Set<string>();
  for (const [layerId, urls] of urlsByLayer(files)) {
    const entry = recorded[layerId];
    if (entry === undefined || JSON.stringify(entry.urls) !== JSON.stringify(urls)) continue;
    const base = await database.layerBases.get(layerId);
    if (base !== undefined && base.seedVersion === entry.seedVersion) current.add(layerId);
  }
  return current;
}

/** Records the files the demo layers were just seeded from (with their bases' seed versions). */
export async function recordDemoSources(database: OneMapDatabase, files: readonly DemoFileSource[]): Promise<void> {
  await database.transaction('rw', database.meta, database.layerBases, async () => {
    const recorded = await readSources(database);
    for (const [layerId, urls] of urlsByLayer(files)) {
      const seedVersion = (await database.layerBases.get(layerId))?.seedVersion;
      if (typeof seedVersion === 'string') recorded[layerId] = { urls, seedVersion };
      else delete recorded[layerId];
    }
    await database.meta.put({ key: META_KEYS.demoSeedSources, value: recorded });
  });
}
