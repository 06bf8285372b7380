/**
 * All-or-nothing changes to an output folder that survive a kill, a full disk and a second apiguard.
 *
 * Everything goes through one hidden folder inside the output folder, the journal (on the same
 * filesystem, so moving a file out of it is an atomic rename):
 *   lock            who holds the folder (pid, host, command); created atomically, exclusively
 *   new/<n>         the new contents, written and flushed before any output changes
 *   old/<n>         a second name (hard link) for each file to be replaced or deleted, to undo with
 *   manifest.json   every deletion, folder, creation and replacement; renamed into place when complete:
 *                   that rename is the commit
 *   .gitignore      `*`: git does not show the journal, also when a kill leaves one behind
 * After the commit the changes are applied, then the manifest is removed, then the journal. Every
 * command that opens the folder recovers first: a committed manifest is applied (rolled forward),
 * anything uncommitted discarded — so the outputs are wholly old or wholly new. An error while
 * applying undoes what was applied, from old/. Every step goes through ./fs-steps, where tests fail it.
 */
import { createHash, randomUUID } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { link, makeDir, pauseFor, removeDir, rename, SimulatedKill, syncDir, unlink, writeNewFile } from "./fs-steps";

/** The journal's folder name inside the output folder. */
export const JOURNAL = ".apiguard-journal";
const LOCK = "lock";
const MANIFEST = "manifest.json";
const PARTIAL_MANIFEST = "manifest.partial";
const IGNORE_ALL = ".gitignore";
const FORMAT = "apiguard-journal/1";
/** How long a command waits for another apiguard writing the same folder, unless told otherwise. */
export const DEFAULT_WAIT_MS = 30_000;
/** How long a command waits for another before it says so. */
const NOTICE_AFTER_MS = 1_000;
/** A lock file that cannot be read (a platform without hard links, killed while writing it) is abandoned after this long. */
const UNREADABLE_LOCK_MS = 5_000;

/** A refusal or failure concerning an output folder: printed as one line, exit 2. */
export class OutputError extends Error {}

/** A folder's change: files to write (path relative to the folder, with `/`) and files to delete. */
export interface Changes {
  writes: Map<string, string>;
  deletes: string[];
}

interface Manifest {
  format: typeof FORMAT;
  command: string;
  deletes: { path: string; backup: string }[];
  /** Folders left empty by the deletions, deepest first. */
  emptied: string[];
  /** Folders to create, parents first. */
  dirs: string[];
  writes: { path: string; staged: string; backup: string | null; sha256: string }[];
}

interface Holder {
  pid: number;
  host: string;
  command: string;
  started: string;
  nonce: string;
}

export interface FolderOptions {
  /** The command, named in the lock and in what other apiguards print while they wait. */
  command: string;
  /** How long to wait for another apiguard writing the folder. */
  waitMs?: number;
  /** One-line notices: an interrupted write completed or discarded, waiting for another apiguard. */
  notice?: (line: string) => void;
  /** check and evaluate: a folder they may not write is read as it is, unless an interrupted write must be completed. */
  readOnly?: boolean;
  /** generate and init: create the folder and its missing parents; a command that fails removes them again. */
  create?: boolean;
}

export interface OutputFolder {
  root: string;
  /** The command whose interrupted write was just completed here, if one was (a killed init that is run again). */
  completed?: string;
  /** Applies the changes all or nothing; only inside `withOutputFolder`, once the folder is locked and recovered. */
  commit(changes: Changes): { written: string[]; removed: string[] };
}

/** Nonces of the locks this process holds: its own pid in a lock it does not hold means an abandoned lock. */
const held = new Set<string>();

function shown(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only filesystem",
  ENOTDIR: "a file is in the way of a folder",
  EISDIR: "a folder is in the way",
  EMFILE: "too many open files",
  ENAMETOOLONG: "file name too long",
};

/** The error code of a system error (not `instanceof Error`: under jest, Node's errors come from another realm). */
function codeOf(e: unknown): string | undefined {
  const code = typeof e === "object" && e !== null ? (e as NodeJS.ErrnoException).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/** Why a step failed, in words and with the error code a search finds. */
function reason(e: unknown): string {
  const code = codeOf(e);
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  return typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e);
}

/** A simulated kill passes through everything: the process is gone, nothing may clean up after it. */
function rethrowKill(e: unknown): void {
  if (e instanceof SimulatedKill) throw e;
}

function exists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch (e) {
    if (codeOf(e) === "ENOENT") return false;
    throw e;
  }
}

function ignoring<T>(codes: string[], action: () => T): T | undefined {
  try {
    return action();
  } catch (e) {
    if (!codes.includes(codeOf(e) ?? "")) throw e;
    return undefined;
  }
}

/** Removes a file or folder tree step by step (each removal a step a test can fail). */
function removeTree(target: string): void {
  const stat = ignoring(["ENOENT"], () => fs.lstatSync(target));
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(target)) removeTree(path.join(target, name));
    ignoring(["ENOENT"], () => removeDir(target));
  } else ignoring(["ENOENT"], () => unlink(target));
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

// ---------------------------------------------------------------------------------------------
// The lock

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return codeOf(e) === "EPERM";
  }
}

interface SeenLock {
  text: string;
  holder?: Holder;
  modified: number;
}

function readLock(file: string): SeenLock | undefined {
  try {
    const text = fs.readFileSync(file, "utf8");
    const modified = fs.statSync(file).mtimeMs;
    let holder: Holder | undefined;
    try {
      const parsed = JSON.parse(text) as Holder;
      if (typeof parsed.pid === "number" && typeof parsed.nonce === "string") holder = parsed;
    } catch {
      holder = undefined;
    }
    return { text, holder, modified };
  } catch (e) {
    if (codeOf(e) === "ENOENT") return undefined;
    throw e;
  }
}

/** Whether the lock's holder is gone: a dead process on this host, or this process in a lock it no longer holds (killed in a test, or a reused pid). */
function abandoned(lock: SeenLock): boolean {
  const holder = lock.holder;
  if (!holder) return Date.now() - lock.modified > UNREADABLE_LOCK_MS;
  if (holder.host !== os.hostname()) return false;
  if (holder.pid === process.pid) return !held.has(holder.nonce);
  return !alive(holder.pid);
}

function describeHolder(lock: SeenLock): string {
  const h = lock.holder;
  return h ? `apiguard ${h.command} (pid ${h.pid} on ${h.host}, since ${h.started})` : "another apiguard";
}

/**
 * Creates the journal folder and its .gitignore if missing; false if the folder vanished meanwhile
 * (its holder just removed it). A journal another apiguard holds is its business: `holding` says
 * whether this process does.
 */
function ensureJournal(journal: string, holding: boolean): boolean {
  if (!exists(journal)) ignoring(["EEXIST"], () => makeDir(journal));
  const stat = ignoring(["ENOENT"], () => fs.lstatSync(journal));
  if (!stat) return false;
  if (!stat.isDirectory()) throw new OutputError(`${shown(journal)} is in the way: apiguard keeps its journal there, and it is not a folder (remove it)`);
  if (exists(path.join(journal, IGNORE_ALL)) || (!holding && exists(path.join(journal, LOCK)))) return true;
  try {
    writeNewFile(path.join(journal, IGNORE_ALL), "*\n");
    return true;
  } catch (e) {
    if (codeOf(e) === "EEXIST") return true;
    if (codeOf(e) === "ENOENT") return false;
    throw e;
  }
}

/**
 * Takes the lock if it is free. The lock appears with its contents complete: it is written under a
 * name of its own and then linked to `lock`, which fails if another holds it.
 */
function tryLock(journal: string, me: Holder): boolean {
  const text = JSON.stringify(me);
  const lockFile = path.join(journal, LOCK);
  const candidate = path.join(journal, `${LOCK}.${me.nonce}`);
  try {
    writeNewFile(candidate, text);
  } catch (e) {
    if (codeOf(e) === "ENOENT") return false;
    // The candidate's name means nothing to a user; the lock it was for does.
    throw Object.assign(e as Error, { path: lockFile });
  }
  try {
    link(candidate, lockFile);
    return true;
  } catch (e) {
    const code = codeOf(e);
    if (code === "EEXIST" || code === "ENOENT") return false;
    if (!["EPERM", "ENOTSUP", "ENOSYS", "EMLINK"].includes(code ?? "")) throw e;
    // No hard links on this filesystem: an exclusive create, whose contents a kill can leave short.
    try {
      writeNewFile(lockFile, text);
      return true;
    } catch (f) {
      if (codeOf(f) === "EEXIST") return false;
      throw f;
    }
  } finally {
    try {
      unlink(candidate);
    } catch (e) {
      // Left in the journal, which its holder removes whole.
      rethrowKill(e);
    }
  }
}

/** Frees a lock whose holder is gone, unless another apiguard replaced it meanwhile (then it is put back). */
function takeOver(journal: string, seen: SeenLock): void {
  const lockFile = path.join(journal, LOCK);
  const aside = path.join(journal, `${LOCK}.${randomUUID()}.abandoned`);
  try {
    rename(lockFile, aside);
  } catch (e) {
    if (codeOf(e) === "ENOENT") return;
    throw e;
  }
  const moved = readLock(aside);
  if (moved && moved.text !== seen.text) ignoring(["EEXIST"], () => link(aside, lockFile));
  ignoring(["ENOENT"], () => unlink(aside));
}

interface Lock {
  root: string;
  journal: string;
  text: string;
  nonce: string;
}

/** After a failed attempt to lock: the journal folder goes again unless another apiguard holds it. */
function tidyJournal(journal: string): void {
  if (exists(path.join(journal, LOCK))) return;
  for (const name of ignoring(["ENOENT"], () => fs.readdirSync(journal)) ?? []) {
    if (name === IGNORE_ALL || name.startsWith(`${LOCK}.`)) ignoring(["ENOENT"], () => unlink(path.join(journal, name)));
  }
  ignoring(["ENOENT", "ENOTEMPTY", "EEXIST"], () => removeDir(journal));
}

function acquire(root: string, options: FolderOptions): Lock {
  const journal = path.join(root, JOURNAL);
  try {
    return attempt(root, journal, options);
  } catch (e) {
    rethrowKill(e);
    try {
      tidyJournal(journal);
    } catch (f) {
      rethrowKill(f);
    }
    throw e;
  }
}

function attempt(root: string, journal: string, options: FolderOptions): Lock {
  const me: Holder = { pid: process.pid, host: os.hostname(), command: options.command, started: new Date().toISOString(), nonce: randomUUID() };
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const started = Date.now();
  const deadline = started + waitMs;
  let told = false;
  for (;;) {
    if (!ensureJournal(journal, false)) continue;
    if (tryLock(journal, me)) {
      const lock = { root, journal, text: JSON.stringify(me), nonce: me.nonce };
      held.add(me.nonce);
      try {
        // A holder that just released the folder may have removed the .gitignore after this one checked it.
        ensureJournal(journal, true);
      } catch (e) {
        rethrowKill(e);
        release(lock);
        throw e;
      }
      return lock;
    }
    const seen = readLock(path.join(journal, LOCK));
    if (!seen) continue;
    if (abandoned(seen)) {
      takeOver(journal, seen);
      continue;
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new OutputError(
        `${shown(root)} is being written by ${describeHolder(seen)}${waitMs > 0 ? `; gave up after ${waitMs / 1000} s` : ""} — run again when it has finished` +
          ` (--wait sets how long to wait; if no apiguard is running there, delete ${shown(path.join(journal, LOCK))})`,
      );
    }
    // Said only once a wait is noticeable, so that a short one that gives up says so in one line.
    if (!told && Date.now() - started >= NOTICE_AFTER_MS) {
      options.notice?.(`apiguard: waiting for ${describeHolder(seen)} to finish writing ${shown(root)}`);
      told = true;
    }
    pauseFor(Math.min(100, left));
  }
}

/** Before committing: the lock is still this process's (a takeover race lost would show here), so two writers never interleave. */
function checkStillHeld(lock: Lock): void {
  const now = readLock(path.join(lock.journal, LOCK));
  if (now?.text !== lock.text) throw new OutputError(`another apiguard took ${shown(lock.root)} over while this one was writing; nothing was changed — run again`);
}

/**
 * Removes the journal: whatever is left in it, then the .gitignore, then the lock (so that a waiting
 * apiguard, which writes a .gitignore before it tries the lock, never loses its own), then the folder
 * unless another apiguard is already in it. A journal still holding a committed manifest (a change
 * neither completed nor undone, or one that cannot be read) is kept for the next command: only the
 * lock goes. Returns whether the journal was kept.
 */
function release(lock: Lock): boolean {
  held.delete(lock.nonce);
  if (exists(path.join(lock.journal, MANIFEST))) {
    ignoring(["ENOENT"], () => unlink(path.join(lock.journal, LOCK)));
    return true;
  }
  for (const name of fs.readdirSync(lock.journal)) {
    if (name !== LOCK && name !== IGNORE_ALL) removeTree(path.join(lock.journal, name));
  }
  ignoring(["ENOENT"], () => unlink(path.join(lock.journal, IGNORE_ALL)));
  ignoring(["ENOENT"], () => unlink(path.join(lock.journal, LOCK)));
  ignoring(["ENOENT", "ENOTEMPTY", "EEXIST"], () => removeDir(lock.journal));
  return false;
}

// ---------------------------------------------------------------------------------------------
// The journal

/** A manifest path back to the file it names; a path out of the folder means the manifest is not one apiguard wrote. */
function inside(root: string, relative: string): string {
  if (typeof relative !== "string") throw new Error(`${JSON.stringify(relative)} is not a path`);
  const absolute = path.resolve(root, relative);
  const back = path.relative(root, absolute);
  if (back === "" || back === ".." || back.startsWith(`..${path.sep}`) || path.isAbsolute(back)) {
    throw new Error(`path ${JSON.stringify(relative)} is outside the folder`);
  }
  return absolute;
}

function readManifest(lock: Lock): Manifest {
  const file = path.join(lock.journal, MANIFEST);
  try {
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
    if (manifest.format !== FORMAT) throw new Error(`unknown format ${JSON.stringify(manifest.format)}`);
    const all = [...manifest.deletes.map((d) => d.path), ...manifest.emptied, ...manifest.dirs, ...manifest.writes.map((w) => w.path)];
    for (const p of all) inside(lock.root, p);
    const kept = [...manifest.deletes.map((d) => d.backup), ...manifest.writes.flatMap((w) => (w.backup === null ? [w.staged] : [w.staged, w.backup]))];
    for (const p of kept) inside(lock.journal, p);
    return manifest;
  } catch (e) {
    rethrowKill(e);
    // Kept as it is (see release), for whoever looks into it.
    throw new OutputError(`${shown(file)} cannot be read (${reason(e)}), so an interrupted write cannot be completed; restore the outputs (git checkout) and delete ${shown(lock.journal)}`);
  }
}

/** Folders to create for the writes (parents first) and folders the deletions empty (deepest first). */
function folders(root: string, changes: Changes): { dirs: string[]; emptied: string[] } {
  const deleted = new Set(changes.deletes);
  const written = [...changes.writes.keys()];
  const emptied: string[] = [];
  const isEmptied = new Set<string>();
  const ancestors = (file: string) => {
    const out: string[] = [];
    for (let d = path.posix.dirname(file); d !== "."; d = path.posix.dirname(d)) out.push(d);
    return out;
  };
  const candidates = [...new Set(changes.deletes.flatMap(ancestors))].sort((a, b) => b.split("/").length - a.split("/").length || (a < b ? -1 : 1));
  for (const dir of candidates) {
    if (written.some((w) => w.startsWith(`${dir}/`))) continue;
    const entries = fs.readdirSync(path.join(root, dir));
    if (entries.every((e) => deleted.has(`${dir}/${e}`) || isEmptied.has(`${dir}/${e}`))) {
      emptied.push(dir);
      isEmptied.add(dir);
    }
  }
  const dirs = new Set<string>();
  for (const file of written) {
    for (const dir of ancestors(file).reverse()) {
      const stat = ignoring(["ENOENT"], () => fs.lstatSync(path.join(root, dir)));
      if (stat && !deleted.has(dir)) {
        // A symbolic link to a folder is the user's choice of where outputs live; follow it.
        if (ignoring(["ENOENT"], () => fs.statSync(path.join(root, dir)))?.isDirectory()) continue;
        throw new OutputError(`cannot write ${shown(path.join(root, file))}: ${shown(path.join(root, dir))} is in the way, and it is not a folder`);
      }
      dirs.add(dir);
    }
    if (ignoring(["ENOENT"], () => fs.lstatSync(path.join(root, file)))?.isDirectory() && !isEmptied.has(file)) {
      throw new OutputError(`cannot write ${shown(path.join(root, file))}: a folder of that name is in the way`);
    }
  }
  return { dirs: [...dirs].sort((a, b) => a.split("/").length - b.split("/").length || (a < b ? -1 : 1)), emptied };
}

/** Renames are atomic only within one filesystem: every folder written to must be on the journal's. */
function checkOneFilesystem(lock: Lock, files: string[]): void {
  const device = fs.statSync(lock.journal).dev;
  const seen = new Set<string>();
  for (const file of files) {
    let dir = path.dirname(path.join(lock.root, file));
    while (!exists(dir)) dir = path.dirname(dir);
    if (seen.has(dir)) continue;
    seen.add(dir);
    if (fs.statSync(dir).dev !== device) {
      throw new OutputError(`${shown(dir)} is on another filesystem than ${shown(lock.root)}; apiguard replaces files atomically only within one filesystem`);
    }
  }
}

/** A second name for a file about to be replaced or deleted; a copy where the filesystem has no hard links. */
function keepOld(from: string, to: string): void {
  try {
    link(from, to);
  } catch (e) {
    if (!["EPERM", "ENOTSUP", "ENOSYS", "EMLINK", "EXDEV"].includes(codeOf(e) ?? "")) throw e;
    writeNewFile(to, fs.readFileSync(from));
  }
}

/** The folders whose entries the change touched, to flush. */
function touchedFolders(root: string, manifest: Manifest): string[] {
  const dirs = [...manifest.deletes.map((d) => d.path), ...manifest.writes.map((w) => w.path), ...manifest.dirs, ...manifest.emptied].map((p) => path.dirname(path.join(root, p)));
  return [...new Set(dirs)].filter((d) => exists(d)).sort();
}

/** A step of applying a change failed: the error, and the output file it concerned. */
class ApplyFailure extends Error {
  constructor(
    failure: unknown,
    readonly file: string,
  ) {
    super(reason(failure));
  }
}

/** Rolls forward. Every step checks the disk first, so it completes a half-applied change as well as a fresh one. */
function apply(lock: Lock, manifest: Manifest): void {
  const at = (p: string) => path.join(lock.root, p);
  let current = lock.root;
  try {
    for (const d of manifest.deletes) {
      current = d.path;
      if (exists(at(d.path))) unlink(at(d.path));
    }
    for (const dir of manifest.emptied) {
      current = dir;
      ignoring(["ENOENT", "ENOTEMPTY", "EEXIST"], () => removeDir(at(dir)));
    }
    for (const dir of manifest.dirs) {
      current = dir;
      ignoring(["EEXIST"], () => makeDir(at(dir)));
    }
    for (const w of manifest.writes) {
      current = w.path;
      const staged = path.join(lock.journal, w.staged);
      if (exists(staged)) rename(staged, at(w.path));
    }
    for (const dir of touchedFolders(lock.root, manifest)) {
      current = dir;
      syncDir(dir);
    }
  } catch (e) {
    rethrowKill(e);
    throw new ApplyFailure(e, current === lock.root || path.isAbsolute(current) ? current : at(current));
  }
}

/** Rolls back: each applied step undone from old/ (a write was applied when its staged file is gone). */
function undo(lock: Lock, manifest: Manifest): void {
  const at = (p: string) => path.join(lock.root, p);
  const journal = (p: string) => path.join(lock.journal, p);
  for (const w of [...manifest.writes].reverse()) {
    if (exists(journal(w.staged))) continue;
    if (w.backup && exists(journal(w.backup))) rename(journal(w.backup), at(w.path));
    else if (!w.backup && exists(at(w.path))) unlink(at(w.path));
  }
  for (const dir of [...manifest.dirs].reverse()) ignoring(["ENOENT", "ENOTEMPTY", "EEXIST"], () => removeDir(at(dir)));
  for (const dir of [...manifest.emptied].reverse()) ignoring(["EEXIST"], () => makeDir(at(dir)));
  for (const d of manifest.deletes) if (!exists(at(d.path)) && exists(journal(d.backup))) rename(journal(d.backup), at(d.path));
  for (const dir of touchedFolders(lock.root, manifest)) syncDir(dir);
}

/** Whether every staged file still holds what the manifest says (a crash of the machine, not just the process, can lose data). */
function stagedIntact(lock: Lock, manifest: Manifest): boolean {
  return manifest.writes.every((w) => {
    const staged = path.join(lock.journal, w.staged);
    return !exists(staged) || sha256(fs.readFileSync(staged)) === w.sha256;
  });
}

/** After a change is complete or undone: the manifest goes first, so nothing can apply it twice. */
function closeJournal(lock: Lock): void {
  if (exists(path.join(lock.journal, MANIFEST))) unlink(path.join(lock.journal, MANIFEST));
  for (const name of fs.readdirSync(lock.journal)) if (name !== LOCK && name !== IGNORE_ALL) removeTree(path.join(lock.journal, name));
}

/** Applies the manifest; if a step fails, undoes what was applied and says so in one line (`failed` words the failure). */
function applyOrUndo(lock: Lock, manifest: Manifest, failed: (f: ApplyFailure) => string): void {
  try {
    apply(lock, manifest);
    return;
  } catch (e) {
    rethrowKill(e);
    const failure = e as ApplyFailure;
    try {
      undo(lock, manifest);
      closeJournal(lock);
    } catch (u) {
      rethrowKill(u);
      throw new OutputError(`${failed(failure)}; undoing it failed too (${reason(u)}) — the next apiguard command in ${shown(lock.root)} completes it`);
    }
    throw new OutputError(`${failed(failure)}; the outputs were restored as they were`);
  }
}

/** Completes or discards what an interrupted apiguard left in the journal. */
function recover(lock: Lock, notice: (line: string) => void): string | undefined {
  const leftovers = fs.readdirSync(lock.journal).filter((n) => n !== LOCK && n !== IGNORE_ALL && !n.startsWith(`${LOCK}.`));
  if (exists(path.join(lock.journal, MANIFEST))) {
    const manifest = readManifest(lock);
    const what = `an interrupted ${manifest.command} in ${shown(lock.root)}`;
    if (!stagedIntact(lock, manifest)) {
      undo(lock, manifest);
      closeJournal(lock);
      notice(`apiguard: undid ${what}: its new files were damaged; the outputs are as they were before it`);
      return undefined;
    }
    applyOrUndo(lock, manifest, (f) => `could not complete ${what}: cannot write ${shown(f.file)}: ${f.message}`);
    closeJournal(lock);
    notice(`apiguard: completed ${what} (${manifest.writes.length + manifest.deletes.length} files)`);
    return manifest.command;
  }
  closeJournal(lock);
  if (leftovers.length > 0) notice(`apiguard: discarded an unfinished write in ${shown(lock.root)}; the outputs had not been changed yet`);
  return undefined;
}

function commit(lock: Lock, command: string, changes: Changes): { written: string[]; removed: string[] } {
  const written = [...changes.writes.keys()];
  if (written.length === 0 && changes.deletes.length === 0) return { written, removed: [] };
  const { dirs, emptied } = folders(lock.root, changes);
  checkOneFilesystem(lock, [...written, ...changes.deletes]);
  const journal = (p: string) => path.join(lock.journal, p);
  const at = (p: string) => path.join(lock.root, p);
  const manifest: Manifest = { format: FORMAT, command, deletes: [], emptied, dirs, writes: [] };
  let current = lock.journal;
  try {
    makeDir(journal("new"));
    makeDir(journal("old"));
    let n = 0;
    for (const [file, content] of changes.writes) {
      current = at(file);
      const staged = `new/${n}`;
      writeNewFile(journal(staged), content);
      const replaces = exists(at(file));
      if (replaces) keepOld(at(file), journal(`old/${n}`));
      manifest.writes.push({ path: file, staged, backup: replaces ? `old/${n}` : null, sha256: sha256(content) });
      n++;
    }
    for (const file of changes.deletes) {
      current = at(file);
      keepOld(at(file), journal(`old/${n}`));
      manifest.deletes.push({ path: file, backup: `old/${n}` });
      n++;
    }
    current = journal(MANIFEST);
    syncDir(journal("new"));
    syncDir(journal("old"));
    checkStillHeld(lock);
    writeNewFile(journal(PARTIAL_MANIFEST), JSON.stringify(manifest, null, 1) + "\n");
    rename(journal(PARTIAL_MANIFEST), journal(MANIFEST));
    syncDir(lock.journal);
  } catch (e) {
    rethrowKill(e);
    // Nothing in the outputs has changed yet: discarding the journal (on release) is the whole undo —
    // once the manifest, should it be committed already (its folder failed to flush), is gone.
    try {
      if (exists(journal(MANIFEST))) unlink(journal(MANIFEST));
    } catch (f) {
      rethrowKill(f);
      throw new OutputError(`cannot write ${shown(current)}: ${reason(e)}; the next apiguard command in ${shown(lock.root)} completes the change`);
    }
    if (e instanceof OutputError) throw e;
    throw new OutputError(`cannot write ${shown(current)}: ${reason(e)}; nothing was changed`);
  }
  applyOrUndo(lock, manifest, (f) => `cannot write ${shown(f.file)}: ${f.message}`);
  try {
    closeJournal(lock);
  } catch (e) {
    rethrowKill(e);
    // The outputs are complete; what is left of the journal, release (or else the next command) removes.
  }
  return { written, removed: changes.deletes };
}

/** Creates the missing folders from the outermost down, noting each in `created` as it goes, to be removed again if the command fails. */
function createFolder(root: string, created: string[]): void {
  const missing: string[] = [];
  for (let dir = root; !exists(dir); dir = path.dirname(dir)) missing.unshift(dir);
  for (const dir of missing) {
    makeDir(dir);
    created.push(dir);
  }
}

function removeCreated(created: string[]): void {
  for (const dir of [...created].reverse()) {
    try {
      ignoring(["ENOENT", "ENOTEMPTY", "EEXIST"], () => removeDir(dir));
    } catch (e) {
      rethrowKill(e);
    }
  }
}

const READ_ONLY = ["EROFS", "EACCES", "EPERM"];

/** The lock, or none for a reader that may not write the folder (a read-only checkout) when no interrupted write waits there. */
function lockFolder(root: string, options: FolderOptions): Lock | undefined {
  try {
    return acquire(root, options);
  } catch (e) {
    if (options.readOnly && READ_ONLY.includes(codeOf(e) ?? "") && !exists(path.join(root, JOURNAL, MANIFEST))) return undefined;
    throw e;
  }
}

/**
 * Runs `work` with the folder locked against other apiguards and any interrupted write recovered
 * first. The journal is gone again when it returns or throws.
 */
export function withOutputFolder<T>(root: string, options: FolderOptions, work: (folder: OutputFolder) => T): T {
  const notice = options.notice ?? (() => undefined);
  const created: string[] = [];
  let lock: Lock | undefined;
  let failed = true;
  try {
    const failure = (e: unknown, after: string) => {
      rethrowKill(e);
      if (e instanceof OutputError || !codeOf(e)) return e;
      return new OutputError(`cannot write ${shown((e as NodeJS.ErrnoException).path ?? root)}: ${reason(e)}${after}`);
    };
    try {
      if (options.create) createFolder(root, created);
      lock = exists(root) ? lockFolder(root, options) : undefined;
    } catch (e) {
      throw failure(e, "; nothing was changed");
    }
    let completed: string | undefined;
    try {
      if (lock) completed = recover(lock, notice);
    } catch (e) {
      throw failure(e, "");
    }
    const locked = lock;
    const result = work({
      root,
      completed,
      commit: (changes) => {
        if (!locked) throw new OutputError(`${shown(root)} cannot be written`);
        return commit(locked, options.command, changes);
      },
    });
    failed = false;
    return result;
  } finally {
    if (lock) {
      try {
        if (release(lock) && !failed) notice(`apiguard: warning: could not remove ${shown(lock.journal)}; the next apiguard command removes it`);
      } catch (e) {
        rethrowKill(e);
        notice(`apiguard: warning: could not remove ${shown(lock.journal)} (${reason(e)}); the next apiguard command removes it`);
      }
    }
    if (failed) removeCreated(created);
  }
}

/**
 * For commands that only read outputs (evaluate): completes or discards an interrupted write first,
 * and waits for one in progress. A folder without a journal is not touched at all.
 */
export function settleOutputFolder(root: string, notice?: (line: string) => void): void {
  if (!exists(path.join(root, JOURNAL))) return;
  withOutputFolder(root, { command: "evaluate", readOnly: true, notice }, () => undefined);
}
