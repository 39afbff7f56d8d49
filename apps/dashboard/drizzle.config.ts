import { defineConfig } from "drizzle-kit";

// One schema and one set of migrations for both PGlite and PostgreSQL.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/server/db/schema.ts",
  out: "./drizzle",
});
