// Bundles src/*.js into <out-dir>/app.js: strips comments and blank lines and stamps the build.
// Node only, no npm dependencies (the test sandbox reaches no npm registry).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const flag = process.argv.indexOf("--out-dir");
const out = flag > 0 ? process.argv[flag + 1] : "dist";
const sources = readdirSync("src").filter((name) => name.endsWith(".js")).sort();
const body = sources
  .map((name) => readFileSync(join("src", name), "utf8"))
  .join("\n")
  .split("\n")
  .filter((line) => line.trim() && !line.trim().startsWith("//"))
  .join("\n");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "app.js"), `/* built by build.mjs with node ${process.version} */\n${body}\n`);
console.log(`built ${sources.length} module(s) into ${out}/app.js`);
