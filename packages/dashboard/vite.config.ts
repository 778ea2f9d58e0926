import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the gateway at /dashboard/ (gateway/src/gateway.ts); `npm run build` writes dist/.
export default defineConfig({
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // the sign-in page needs React and the GraphQL client only; the charts come with the first view
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 20 },
            { name: 'graphql', test: /node_modules[\\/](urql|@urql|wonka|graphql|graphql-ws)[\\/]/, priority: 20 },
            { name: 'charts', test: /node_modules[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    // `npx vite` in this folder while `npm start` runs: the API and graphql-ws from the gateway
    proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } },
  },
});
