#!/usr/bin/env node
// Kept tiny on purpose: `--help` must not load anything heavy. See src/cli.ts.
import { run } from '../dist/cli.js';

process.exitCode = await run(process.argv);
