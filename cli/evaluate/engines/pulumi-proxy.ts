/**
 * @pulumi/policy's unknown-checking proxy, loaded from its own module: the policy server wraps props
 * in it, and loading it alone keeps the Pulumi SDK out of `evaluate`. Its exports are marked
 * @internal, so their types are declared here.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy: <T>(value: T) => T;
  UnknownValueError: new (sentinel: unknown, props: string[]) => Error;
};

export const unknownCheckingProxy = proxy.unknownCheckingProxy;
export const UnknownValueError = proxy.UnknownValueError;
