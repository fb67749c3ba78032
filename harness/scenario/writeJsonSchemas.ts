import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fragmentJsonSchema, scenarioJsonSchema } from './jsonSchema.js';

/** The files `npm run build` writes (package.json "exports": ./scenario.schema.json, ./fragment.schema.json). */
export const JSON_SCHEMA_FILES = { 'scenario.schema.json': scenarioJsonSchema, 'fragment.schema.json': fragmentJsonSchema } as const;

/** Writes the scenario and fragment JSON Schemas into `dir` (created if missing); returns the paths written. */
export async function writeJsonSchemas(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, make] of Object.entries(JSON_SCHEMA_FILES)) {
    const file = path.join(dir, name);
    await writeFile(file, `${JSON.stringify(make(), null, 2)}\n`);
    written.push(file);
  }
  return written;
}
