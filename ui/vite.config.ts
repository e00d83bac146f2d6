import { defineConfig } from "vite";

// Preact through the automatic JSX runtime; no framework plugin needed.
export default defineConfig({
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    target: "safari16",
    outDir: "dist",
    emptyOutDir: true,
    // Everything ships inside the binary: no external fonts, scripts or images.
    assetsInlineLimit: 0,
  },
  server: { strictPort: true, port: 5173 },
});
