// vite.config.js: one Vite build, three HTML entries (/, /admin/, /m/), written to dist/
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

// In `vite dev`, unknown paths under /admin/ and /m/ get that entry's index.html,
// as the baodao server does in production (history routing without a hash).
function entryFallback() {
  return {
    name: 'baodao-entry-fallback',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const path = (req.url || '').split('?')[0];
        const accept = req.headers.accept || '';
        if (accept.includes('text/html') && !path.includes('.')) {
          if (path === '/admin' || path.startsWith('/admin/')) req.url = '/admin/index.html';
          else if (path === '/m' || path.startsWith('/m/')) req.url = '/m/index.html';
        }
        next();
      });
    },
  };
}

// Vant's icon font lists a CDN copy after the embedded woff2; the CSP (font-src 'self' data:)
// blocks it and WeChat users may be offline from it, so the remote fallback is dropped.
function dropRemoteFonts() {
  return {
    name: 'baodao-drop-remote-fonts',
    enforce: 'pre',
    transform(code, id) {
      if (!/\.css($|\?)/.test(id) || !code.includes('@font-face')) return null;
      const out = code.replace(/,\s*url\((?:https?:)?\/\/[^)]*\)\s*format\([^)]*\)/g, '');
      return out === code ? null : { code: out, map: null };
    },
  };
}

export default defineConfig({
  base: '/',
  // includeAbsolute: false keeps '/favicon.svg' in templates a plain URL to the public file.
  plugins: [vue({ template: { transformAssetUrls: { includeAbsolute: false } } }), entryFallback(), dropRemoteFonts()],
  define: {
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  resolve: {
    alias: { '@': here('./src') },
  },
  server: {
    // `BAODAO_API=http://127.0.0.1:8080 npm run dev` talks to a running baodao server.
    proxy: process.env.BAODAO_API
      ? { '/api': { target: process.env.BAODAO_API, changeOrigin: false } }
      : undefined,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2020',
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      input: {
        landing: here('./index.html'),
        admin: here('./admin/index.html'),
        mobile: here('./m/index.html'),
      },
    },
  },
});
