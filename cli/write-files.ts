/**
 * Writing generated files: all or nothing. Everything is staged next to its destination first; only
 * when every file is staged are they renamed into place (each rename is atomic), and a failure part
 * way restores the files that were replaced. `check` compares the same output with the disk.
 */
import * as fs from "fs";
import * as path from "path";
import type { OutputFiles } from "../generators/common";
import { MANAGED_DIRS, UNMANAGED_PATHS } from "../generators";

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
  return MANAGED_DIRS.flatMap((d) => listFiles(root, d)).filter((f) => !files.has(f)).sort();
}

export function writeOutputs(root: string, files: OutputFiles): { written: string[]; removed: string[] } {
  const stamp = `.apiguard-tmp-${process.pid}-${Date.now()}`;
  const staged: { target: string; temp: string; backup?: string }[] = [];
  const stale = staleFiles(root, files);
  const written: string[] = [];
  try {
    for (const [file, content] of files) {
      const target = path.join(root, file);
      if (fs.existsSync(target) && fs.readFileSync(target, "utf8") === content) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const temp = `${target}${stamp}`;
      fs.writeFileSync(temp, content);
      staged.push({ target, temp });
      written.push(file);
    }
  } catch (e) {
    for (const s of staged) fs.rmSync(s.temp, { force: true });
    throw e;
  }
  const done: typeof staged = [];
  try {
    for (const s of staged) {
      if (fs.existsSync(s.target)) {
        s.backup = `${s.target}${stamp}.bak`;
        fs.renameSync(s.target, s.backup);
      }
      fs.renameSync(s.temp, s.target);
      done.push(s);
    }
  } catch (e) {
    for (const s of done.reverse()) {
      if (s.backup) fs.renameSync(s.backup, s.target);
      else fs.rmSync(s.target, { force: true });
    }
    for (const s of staged) fs.rmSync(s.temp, { force: true });
    throw e;
  }
  for (const s of staged) if (s.backup) fs.rmSync(s.backup, { force: true });
  for (const file of stale) fs.rmSync(path.join(root, file));
  return { written, removed: stale };
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
