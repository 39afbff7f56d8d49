/**
 * Gives each distinct tuple of values (objects by identity, primitives by value)
 * a small number, through a trie of maps: a tuple seen before costs a map lookup
 * per element and makes no garbage, which matters at 40,000 pairs.
 */
export class Interner {
  private readonly root = new Map<unknown, unknown>();
  private count = 0;

  id(...values: readonly unknown[]): number {
    let level = this.root;
    for (const value of values) {
      let next = level.get(value) as Map<unknown, unknown> | undefined;
      if (!next) level.set(value, (next = new Map()));
      level = next;
    }
    let id = level.get(Interner.END) as number | undefined;
    if (id === undefined) level.set(Interner.END, (id = ++this.count));
    return id;
  }

  private static readonly END = Symbol("end");
}

/** Values memoised by a tuple of keys, the same trie of maps. */
export class Memo<V> {
  private readonly root = new Map<unknown, unknown>();

  get(keys: readonly unknown[], make: () => V): V {
    let level = this.root;
    for (let i = 0; i < keys.length - 1; i++) {
      let next = level.get(keys[i]) as Map<unknown, unknown> | undefined;
      if (!next) level.set(keys[i], (next = new Map()));
      level = next;
    }
    const last = keys[keys.length - 1];
    if (level.has(last)) return level.get(last) as V;
    const value = make();
    level.set(last, value);
    return value;
  }
}
