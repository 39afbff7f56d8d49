import { z } from "zod";

/** A node's name as the dashboard knows it (its NodeName rule), checked before asking. */
export const NodeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "a node name has 1-63 letters, digits, '.', '_' or '-' and starts with a letter or digit");
