import { netatlasProject } from "../../vitest.shared.js";

export default netatlasProject("cli");
