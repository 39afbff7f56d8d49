import type { Stats } from "node:fs";
import { lstat, unlink } from "node:fs/promises";
import { connect } from "node:net";

/** A file by identity rather than by name: what a path pointed at when we looked. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

function kindOf(stats: Stats): string {
  if (stats.isFile()) return "a regular file";
  if (stats.isDirectory()) return "a directory";
  if (stats.isSymbolicLink()) return "a symbolic link";
  return "not a socket";
}

/** Whether a process accepts connections on the socket; ECONNREFUSED means none does (the socket is stale). */
function someoneListens(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED") resolve(false);
      else reject(new Error(`--listen unix:${path}: cannot tell whether another process listens on it (${error.message})`));
    });
  });
}

/**
 * Frees `path` for the agent's socket. Only a socket of this user that nobody
 * listens on (what an agent that died leaves) is removed; anything else is
 * refused and left as it is: a live socket, another user's socket, a file, a
 * directory, a symbolic link.
 */
export async function clearStaleSocket(path: string): Promise<void> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw new Error(`--listen unix:${path}: cannot look at ${path} (${error.message})`);
  });
  if (!stats) return;
  if (!stats.isSocket()) throw new Error(`--listen unix:${path}: ${path} exists and is ${kindOf(stats)}; the agent never deletes it: remove it yourself or listen on another path`);
  if (stats.uid !== process.getuid?.()) throw new Error(`--listen unix:${path}: ${path} is a socket of uid ${stats.uid}, not of this agent's user; remove it yourself if it is stale`);
  if (await someoneListens(path)) throw new Error(`--listen unix:${path}: another process listens on ${path}; stop it or listen on another path`);
  await unlink(path);
}

/** The identity of what is at `path` now, if it is a socket. */
export async function socketAt(path: string): Promise<FileIdentity | undefined> {
  const stats = await lstat(path).catch(() => undefined);
  return stats?.isSocket() ? { dev: stats.dev, ino: stats.ino } : undefined;
}

export const sameFile = (a: FileIdentity | undefined, b: FileIdentity | undefined) => !!a && !!b && a.dev === b.dev && a.ino === b.ino;
