// Writes `name.gz` (gzip -9) and `name.br` (brotli, quality 11) beside every compressible file
// of a built page, for static hosts that serve precompressed files (nginx gzip_static/
// brotli_static, Caddy `precompressed`, Netlify, …). Uses Node's own zlib: nothing to install.
// Run by trunk's post_build hook on its staging directory, or by hand: node scripts/precompress.mjs dist
import { existsSync, readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join, extname } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? "dist";
const kinds = new Set([".wasm", ".js", ".css", ".html", ".svg", ".json", ".txt", ".webmanifest"]);

function walk(d) {
  for (const name of readdirSync(d)) {
    const path = join(d, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (kinds.has(extname(name)) && statSync(path).size >= 1024) compress(path);
  }
}

function compress(path) {
  const data = readFileSync(path);
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  writeFileSync(`${path}.br`, br);
}

// Precompressed copies are an extra: a failure here must never fail the page's build.
try {
  if (existsSync(dir)) walk(dir);
  else console.warn(`precompress: ${dir} does not exist; nothing compressed`);
} catch (e) {
  console.warn(`precompress: ${e.message}; the build goes on without .gz/.br`);
}
