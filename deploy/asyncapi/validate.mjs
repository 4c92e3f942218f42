// Parse an AsyncAPI document with the official parser; print its diagnostics and the message names.
// usage: node validate.mjs docs/asyncapi.yaml   (exit 1 when the parser reports an error)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.env.ASYNCAPI_NODE_MODULES + "/");
const { Parser } = require("@asyncapi/parser");

const parser = new Parser();
const { document, diagnostics } = await parser.parse(readFileSync(process.argv[2], "utf8"));
const errors = diagnostics.filter((d) => d.severity === 0);
const result = {
  valid: Boolean(document) && errors.length === 0,
  diagnostics: diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, path: d.path })),
  messages: document ? document.allMessages().all().map((m) => m.name()) : [],
  channels: document ? document.allChannels().all().map((c) => c.address()) : [],
};
console.log(JSON.stringify(result));
process.exit(result.valid ? 0 : 1);
