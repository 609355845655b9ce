import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The same build is loaded by Electron (app:// protocol) and by serve mode (loopback HTTP), so
// asset URLs are relative and nothing is fetched from the network at run time.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // No inline scripts or data: URLs: the CSP is `script-src 'self'`.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // A desktop app loaded from disk: one bundle is fine; the warning is about network loads.
    chunkSizeWarningLimit: 900,
  },
  server: { host: '127.0.0.1', strictPort: false },
});
