import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created: string[] = [];

/** Writes `text` to a fresh temp file named `name` and returns its path. */
export function writeTempCsv(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'precog-nfl-'));
  created.push(dir);
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Removes every folder {@link writeTempCsv} made (call from `afterAll`). */
export function removeTempCsvs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The rejection of `promise`, for inspecting an error's facts after `rejects.toThrow`. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}
