import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));
// The same digest the server answers at /console/version.json (src/http/console.ts).
const contract = createHash('sha256')
  .update(readFileSync(new URL('../openapi.yaml', import.meta.url)))
  .digest('hex')
  .slice(0, 16);

export default defineConfig({
  root,
  base: '/console/',
  define: { __CONTRACT__: JSON.stringify(contract) },
  plugins: [
    react(),
    // Brotli and gzip files beside each text file, made once at build: the server sends them as they are.
    compression({ algorithms: ['brotliCompress', 'gzip'], include: /\.(js|css|html|svg|webmanifest)$/ }),
    // The worker precaches every built file under a revision: a new build is a new cache.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: {
        name: 'Bersinar — Konsol Staf',
        short_name: 'Bersinar',
        lang: 'id',
        start_url: '/console/',
        scope: '/console/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#0b5d3b',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      injectManifest: { globPatterns: ['**/*.{js,css,html,svg,webmanifest}'] },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be an inline script, which the console's policy refuses.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:3000', '/console/version.json': 'http://127.0.0.1:3000' },
  },
});
