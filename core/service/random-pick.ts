/** A deterministic index in [0, n) derived from a fresh id (the id port is the randomness). */
export function randomPick(seed: string, n: number): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return (h >>> 0) % Math.max(1, n);
}
