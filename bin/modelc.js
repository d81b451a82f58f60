#!/usr/bin/env node
// The modelc command: runs the bundled CLI (built by `npm run build`, which `npm install` runs).
import "../dist/cli.js";
