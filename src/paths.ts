import { fileURLToPath } from "node:url";
import path from "node:path";

/** The repository root, whatever the working directory. */
export const projectRoot = fileURLToPath(new URL("..", import.meta.url));
export const fromRoot = (...parts: string[]) => path.join(projectRoot, ...parts);
