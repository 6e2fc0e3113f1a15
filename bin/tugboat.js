#!/usr/bin/env node
// Entry point of the `tugboat` command: runs the ahead-of-time compiled CLI (no TS loader at start-up).
require('../dist/src/cli/main.js').main(process.argv.slice(2));
