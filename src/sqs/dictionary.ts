/**
 * Maps keyed by what a client sent — parameter names, attribute names, tag keys, queue names. On a plain
 * `{}`, `map["__proto__"] = value` replaces the object's prototype instead of storing a key: the key is
 * lost, and an object value's fields then read as if the client had sent them (`{"__proto__":
 * {"QueueName":"x"}}` once created queue `x`). A null-prototype object stores every key as data and
 * inherits nothing.
 */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A copy of `source`'s own enumerable entries into a {@link dictionary}. */
export function dictionaryOf<T>(source: Readonly<Record<string, T>>): Record<string, T> {
  const out = dictionary<T>();
  for (const key of Object.keys(source)) out[key] = source[key]!;
  return out;
}
