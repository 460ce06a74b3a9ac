/** Zig's optimize modes (shared by settings and in-source settings without an import cycle). */
export const OPTIMIZE_MODES = ['Debug', 'ReleaseSafe', 'ReleaseFast', 'ReleaseSmall'] as const;
export type OptimizeMode = (typeof OPTIMIZE_MODES)[number];
