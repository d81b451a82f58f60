import modelc from "modelc/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [modelc()],
});
