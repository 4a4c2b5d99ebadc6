import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The gateway serves the built console at /console/ (gateway/src/console/); `npm run dev -w
// @complaints/console` serves it on :5173 and sends the API to the gateway of `make up`.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  // The domain package's TypeScript source, not its CommonJS build: the browser bundle gets ES modules.
  resolve: {
    alias: { '@complaints/domain': fileURLToPath(new URL('../packages/domain/src/index.ts', import.meta.url)) },
  },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/v1': 'http://127.0.0.1:8080',
      '/console/config.json': 'http://127.0.0.1:8080',
    },
  },
});
