// Entering another network namespace in the calling thread only: setns(CLONE_NEWNET)
// moves just this thread, so the rest of the process (and Node's other threads) stay home.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "addon.h"

void fail(struct failure *f, const char *step, const char *subject, int err) {
  if (subject)
    snprintf(f->message, sizeof f->message, "%s %s: %s", step, subject, strerror(err));
  else
    snprintf(f->message, sizeof f->message, "%s: %s", step, strerror(err));
}

int in_namespace(const char *ns_path, int (*inside)(void *arg, struct failure *f), void *arg, struct failure *f) {
  int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (self < 0) {
    fail(f, "open", "/proc/thread-self/ns/net", errno);
    return -1;
  }
  int target = open(ns_path, O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    fail(f, "open", ns_path, errno);
    close(self);
    return -1;
  }
  int rc = 0;
  if (setns(target, CLONE_NEWNET) < 0) {
    fail(f, "setns", ns_path, errno);
    rc = -1;
  } else {
    rc = inside(arg, f);
    if (setns(self, CLONE_NEWNET) < 0) {
      // The thread is stranded in the other namespace: nothing it does next can be trusted.
      fail(f, "setns back to the original namespace (the process should exit)", ns_path, errno);
      rc = -1;
    }
  }
  close(target);
  close(self);
  return rc;
}

char *string_arg(napi_env env, napi_value value, const char *what) {
  napi_valuetype type;
  size_t len;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_string || napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, what);
    return NULL;
  }
  char *s = malloc(len + 1);
  if (!s) {
    napi_throw_error(env, NULL, "netatlas_netlink: out of memory");
    return NULL;
  }
  if (napi_get_value_string_utf8(env, value, s, len + 1, &len) != napi_ok) {
    free(s);
    napi_throw_type_error(env, NULL, what);
    return NULL;
  }
  return s;
}
