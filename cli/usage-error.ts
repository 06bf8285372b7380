/** An error the user can fix: printed as its message alone and a hint, exit 2. */
export class UsageError extends Error {}
