// Writes bootstrap.trimmed.min.css: Bootstrap without the rules no page uses (about a
// third of the size). Run `make trim-css` after using a Bootstrap class for the first time;
// tests/peerlearn/test_page_weight.py fails until then.
// Usage: NODE_PATH=<dir with purgecss> node trim_bootstrap.cjs <crispy_bootstrap5 dir>
const fs = require("fs");
const path = require("path");
const { PurgeCSS } = require("purgecss");

const root = path.resolve(__dirname, "../..");
const folder = path.join(__dirname, "bootstrap-5.3.9");
const crispy = process.argv[2];

// Classes built from pieces in templates or Python (alert-{{ tag }}, text-bg-{% ... %}).
const builtFromPieces = [/^alert-/, /^text-bg-/, /^btn-/, /^bg-/, /^badge/, /^text-/, /^is-/,
  /^was-/, /^form-/, /^table-/, /^nav/];

async function main() {
  const [result] = await new PurgeCSS().purge({
    content: [
      `${root}/templates/**/*.html`,
      `${root}/*/templates/**/*.html`,
      `${root}/*/**/*.py`,
      `${root}/static/css/*.css`,
      `${crispy}/templates/**/*.html`,
    ],
    skippedContentGlobs: [`${root}/tests/**`, `${root}/benchmarks/**`, `${root}/.venv/**`],
    css: [path.join(folder, "bootstrap.min.css")],
    safelist: { standard: builtFromPieces },
    keyframes: true,
    fontFace: true,
  });
  fs.writeFileSync(path.join(folder, "bootstrap.trimmed.min.css"), result.css);
  console.log(`bootstrap.trimmed.min.css: ${result.css.length} bytes`);
}

main();
