// zod's index re-exports every locale (`z.locales`), some 7,500 lines the agent never
// uses (it keeps zod's default English messages). They cost each CLI start its parse,
// so the bundle resolves zod's locale index to this English-only stand-in.
export { default as en } from "zod/v4/locales/en.js";
