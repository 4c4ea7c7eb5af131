// Builds the dashboard into dist/dashboard (beside the gateway's bundle) with relative asset paths, so the same files work under the
// gateway's /dashboard/ and loaded by the desktop app.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/dashboard',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev:renderer` with a gateway on 8787: the admin API is proxied so the page can call it.
    proxy: { '/admin': 'http://127.0.0.1:8787', '/health': 'http://127.0.0.1:8787', '/v1': 'http://127.0.0.1:8787' },
  },
});
