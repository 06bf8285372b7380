/**
 * Writing generated files, all or nothing: only the files whose bytes change are written, stale ones
 * removed, in one journaled change (./fs-transaction) that a kill, a full disk or a second apiguard
 * cannot leave half done. `check` compares the same output with the disk.
 */
import * as fs from "fs";
import * as path from "path";
import type { OutputFiles } from "../generators/common";
import { MANAGED_DIRS, UNMANAGED_PATHS } from "../generators";
import { type FolderOptions, type OutputFolder, withOutputFolder } from "./fs-transaction";

export interface Drift {
  changed: { file: string; line: number; expected: string; actual: string }[];
  missing: string[];
  stale: string[];
}

function listFiles(root: string, dir: string): string[] {
  const absolute = path.join(root, dir);
  if (!fs.existsSync(absolute)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (UNMANAGED_PATHS.includes(relative)) continue;
    if (entry.isDirectory()) for (const f of listFiles(root, relative)) out.push(f);
    else out.push(relative);
  }
  return out;
}

/** Managed files on disk that the generator no longer produces. */
export function staleFiles(root: string, files: OutputFiles): string[] {
  return MANAGED_DIRS.flatMap((d) => listFiles(root, d))
    .filter((f) => !files.has(f))
    .sort();
}

/** What writing `files` into the folder changes: the files whose bytes differ, and the stale ones. */
function changesFor(root: string, files: OutputFiles): { writes: Map<string, string>; deletes: string[] } {
  const writes = new Map<string, string>();
  for (const [file, content] of files) {
    const target = path.join(root, file);
    if (!fs.existsSync(target) || !fs.statSync(target).isFile() || !fs.readFileSync(target).equals(Buffer.from(content))) writes.set(file, content);
  }
  return { writes, deletes: staleFiles(root, files) };
}

/** Writes the outputs into a folder that is open (locked, recovered). */
export function commitOutputs(folder: OutputFolder, files: OutputFiles): { written: string[]; removed: string[] } {
  return folder.commit(changesFor(folder.root, files));
}

/** Opens the folder, writes the outputs, closes it: for callers that have the outputs already. */
export function writeOutputs(root: string, files: OutputFiles, options: FolderOptions = { command: "generate" }): { written: string[]; removed: string[] } {
  return withOutputFolder(root, { create: true, ...options }, (folder) => commitOutputs(folder, files));
}

function firstDifference(expected: string, actual: string): { line: number; expected: string; actual: string } {
  const e = expected.split("\n");
  const a = actual.split("\n");
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) return { line: i + 1, expected: e[i] ?? "<end of file>", actual: a[i] ?? "<end of file>" };
  }
  return { line: 0, expected: "", actual: "" };
}

export function findDrift(root: string, files: OutputFiles): Drift {
  const drift: Drift = { changed: [], missing: [], stale: staleFiles(root, files) };
  for (const [file, content] of files) {
    const target = path.join(root, file);
    if (!fs.existsSync(target)) drift.missing.push(file);
    else {
      const actual = fs.readFileSync(target, "utf8");
      if (actual !== content) drift.changed.push({ file, ...firstDifference(content, actual) });
    }
  }
  return drift;
}

export function hasDrift(d: Drift): boolean {
  return d.changed.length + d.missing.length + d.stale.length > 0;
}

export function formatDrift(d: Drift): string {
  const clip = (s: string) => (s.length > 120 ? `${s.slice(0, 117)}...` : s);
  const lines: string[] = [];
  for (const c of d.changed) lines.push(`  changed  ${c.file}:${c.line}\n           generated: ${clip(c.expected)}\n           on disk:   ${clip(c.actual)}`);
  for (const f of d.missing) lines.push(`  missing  ${f}`);
  for (const f of d.stale) lines.push(`  stale    ${f} (no longer generated)`);
  return lines.join("\n");
}
