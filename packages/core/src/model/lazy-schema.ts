/**
 * A zod schema built the first time anything asks it for anything. Constructing core's
 * ~700 schemas costs a cold process some 15 ms and much of its garbage, and a snapshot
 * from the CLI validates none of its own typed output; the schemas it does use (nft's
 * JSON, the CNI cache) are built when first parsed.
 *
 * Every operation on the stand-in goes to the built schema, so it parses, nests in other
 * schemas, exports to JSON Schema and answers `instanceof` as the schema itself does.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let schema: T | undefined;
  const built = (): T => (schema ??= build());
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(built(), key),
    set: (_, key, value) => Reflect.set(built(), key, value),
    has: (_, key) => Reflect.has(built(), key),
    ownKeys: () => Reflect.ownKeys(built()),
    // A proxy may not report a property as non-configurable unless its own target has it so.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(built(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(built(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(built(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(built()),
  });
}
