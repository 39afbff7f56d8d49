// Writes the NodeSnapshot JSON Schema from the built package (run by `npm run build`).
import { writeFileSync } from "node:fs";
import { snapshotJsonSchema } from "../dist/index.js";

const target = process.argv[2] ?? "dist/snapshot.schema.json";
writeFileSync(target, `${JSON.stringify(snapshotJsonSchema(), null, 2)}\n`);
