// What the addon's files share: failures that name the step and errno, entering a
// namespace for the calling thread only, and reading JavaScript arguments.
#ifndef NETATLAS_ADDON_H
#define NETATLAS_ADDON_H

#include <node_api.h>

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

#endif
