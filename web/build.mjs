// Builds the web application into dist/: type-checks with tsc, bundles
// src/main.ts with esbuild, copies static/. Nothing is fetched at run time:
// the bundle holds all the code, static/ the page, styles and icon.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// GATEHOUSE_WEB_DIST: another output folder (parallel work in one checkout).
const dist = process.env.GATEHOUSE_WEB_DIST || join(here, 'dist');

// --no-typecheck: bundle only (quick iterations; `npm run build` always checks).
if (!process.argv.includes('--no-typecheck')) {
  execFileSync(process.execPath, [join(here, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', here], {
    stdio: 'inherit',
  });
}
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  bundle: true,
  minify: true,
  sourcemap: true,
  target: ['es2020'],
  format: 'iife',
  outfile: join(dist, 'app.js'),
  logLevel: 'warning',
});
cpSync(join(here, 'static'), dist, { recursive: true });
console.log('web: built', dist);
