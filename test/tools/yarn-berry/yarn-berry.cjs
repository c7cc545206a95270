#!/usr/bin/env node
// Runs the Yarn berry bundle that @yarnpkg/cli-dist ships (a dependency of this wrapper package).
require('@yarnpkg/cli-dist/bin/yarn.js');
