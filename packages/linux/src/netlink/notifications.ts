import { loadNetlinkAddon, netlinkAddonProblem, type RawNotificationBatch } from "./addon.js";
import { splitMessages, type NetlinkMessage } from "./messages.js";

/** One rtnetlink notification and where it comes from. */
export interface Notification {
  /** The nsid our namespace gave the namespace it happened in; -1 for our own. */
  nsid: number;
  message: NetlinkMessage;
}

export interface NotificationBatch {
  notifications: Notification[];
  /** Messages were lost (ENOBUFS): only a full read can say what is true now. */
  overflow: boolean;
  /** The subscription failed and has stopped; subscribe again. */
  error?: string;
}

export interface NotificationOptions {
  /** The socket's receive buffer (default 8 MiB); a small one makes ENOBUFS easy to provoke in a test. */
  receiveBufferBytes?: number;
  /** The namespace to listen in, as a path to its nsfs file (default: this process's). */
  nsPath?: string;
}

export interface RtnetlinkSubscription {
  /** Hands what is queued to onBatch before returning: every notification of a change made before the call is then in. */
  flush(): void;
  /** After close, onBatch is never called again. Closing twice is harmless. */
  close(): void;
}

/**
 * Follows the kernel's changes instead of asking for them: links, addresses, routes,
 * neighbours, FDB entries and nsids of one namespace (this process's, or nsPath) and of every namespace
 * that has an nsid in it (NETLINK_LISTEN_ALL_NSID). A namespace without one (nothing joins
 * it to ours) sends nothing here: a caller must read it some other way. Batches arrive on
 * the event loop, in the kernel's order.
 */
export function subscribeRtnetlink(onBatch: (batch: NotificationBatch) => void, options: NotificationOptions = {}): RtnetlinkSubscription {
  const addon = loadNetlinkAddon();
  if (!addon) throw new Error(netlinkAddonProblem() ?? "the netlink addon is not available");
  if (typeof addon.subscribe !== "function") throw new Error("the netlink addon was built before it could follow notifications; rebuild it with tools/run/setup.sh");
  return addon.subscribe((raw: RawNotificationBatch) => onBatch(notificationBatch(raw)), options);
}

function notificationBatch(raw: RawNotificationBatch): NotificationBatch {
  const messages = splitMessages(raw.messages);
  return {
    notifications: messages.map((message, i) => ({ nsid: raw.nsids[i] ?? -1, message })),
    overflow: raw.overflow,
    ...(raw.error === undefined ? {} : { error: raw.error }),
  };
}
