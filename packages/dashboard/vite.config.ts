import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the gateway at /dashboard/ (gateway/src/gateway.ts); `npm run build` writes dist/.
export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    // `npx vite` in this folder while `npm start` runs: the API and graphql-ws from the gateway
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } },
  },
});
