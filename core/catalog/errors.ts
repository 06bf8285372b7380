/**
 * Collecting a catalog's errors, written once: every step that can fail runs through a collector, so
 * one load reports every mistake (a maintainer fixes them in one pass) and a broken step never hides
 * the errors of the steps after it.
 */
import { CatalogError, CatalogErrors } from "./yaml-source";

export class ErrorCollector {
  readonly errors: CatalogError[] = [];

  add(error: CatalogError): void {
    this.errors.push(error);
  }

  /** Runs one step: its catalog errors are collected (and undefined returned); any other error propagates. */
  run<T>(step: () => T): T | undefined {
    try {
      return step();
    } catch (e) {
      if (e instanceof CatalogErrors) this.errors.push(...e.errors);
      else if (e instanceof CatalogError) this.errors.push(e);
      else throw e;
      return undefined;
    }
  }

  /** Ends a group of steps: throws what they collected, if anything. */
  throwIfAny(): void {
    if (this.errors.length > 0) throw new CatalogErrors(this.errors);
  }
}
