import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The app is served from the binary (no dev server, no network); the
// browser tests serve test/browser/mock.html with the IPC mocked.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: { target: 'safari15', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 400 },
  server: { strictPort: true },
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
  },
});
