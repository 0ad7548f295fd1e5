/**
 * A resource shared by every test in a file: started before them, stopped
 * after. Returns a stand-in object that forwards to the started resource, so
 * tests use it like the resource itself (`standin.apiUrl`, `redis.server.url`).
 */
import { afterAll, beforeAll } from "vitest";

export function fileFixture<T extends object>(start: () => Promise<T>, stop: (resource: T) => Promise<void>): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(async () => {
    if (current) await stop(current);
  });
  const started = (): T => {
    if (!current) throw new Error("this file's test fixture is not started yet: use it inside a test or hook");
    return current;
  };
  return new Proxy({} as T, {
    get(_target, prop) {
      const value = Reflect.get(started(), prop, started()) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(started()) : value;
    },
    set(_target, prop, value) {
      return Reflect.set(started(), prop, value, started());
    },
  });
}
