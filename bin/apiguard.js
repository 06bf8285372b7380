#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm ci` through the `prepare` script).
const { main } = require("../dist/cli/index.js");
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`apiguard: internal error: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 70;
  },
);
