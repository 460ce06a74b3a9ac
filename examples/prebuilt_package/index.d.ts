export * from './src/geometry.zig';
