// What the addon's files share: failures that name the step and errno, entering a
// namespace for the calling thread only, and reading JavaScript arguments.
#ifndef NETATLAS_ADDON_H
#define NETATLAS_ADDON_H

#include <stddef.h>
#include <node_api.h>
#include <linux/netlink.h>

// The kernel sizes dump skbs from the reader's buffer, up to 32 KiB; 64 KiB never truncates.
#define RECV_SIZE (64 * 1024)

// Netlink messages (or text) collected into one growing malloc'd buffer.
struct bytes {
  char *data;
  size_t len, cap;
};

// Both return 0, or -1 when memory runs out. append_message keeps messages 4-byte
// aligned, as NLMSG_NEXT (and the TypeScript splitter) expects.
int append(struct bytes *b, const void *data, size_t len);
int append_message(struct bytes *b, const struct nlmsghdr *h);

struct failure {
  char message[512];
};

void fail(struct failure *f, const char *step, const char *subject, int err);

// Runs inside(arg, f) with this thread in the network namespace at ns_path, and always
// returns the thread to the namespace it was in. Returns 0, or -1 with f set.
int in_namespace(const char *ns_path, int (*inside)(void *arg, struct failure *f), void *arg, struct failure *f);

// A JavaScript string copied into malloc'd memory (the caller frees it); NULL with a
// TypeError pending when value is not a string, naming `what`.
char *string_arg(napi_env env, napi_value value, const char *what);

// Throws and jumps to `done` when an N-API call fails (only with a broken env).
#define NAPI_OK(call)                                          \
  do {                                                         \
    if ((call) != napi_ok) {                                   \
      napi_throw_error(env, NULL, "netatlas_netlink: " #call); \
      goto done;                                               \
    }                                                          \
  } while (0)

// nsids(nsPath, targetPaths), defined in netns_ids.c.
napi_value netns_ids(napi_env env, napi_callback_info info);

// subscribe(onBatch, options), defined in notifications.c.
napi_value subscribe(napi_env env, napi_callback_info info);

#endif
