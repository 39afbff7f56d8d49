// subscribe(onBatch, options): rtnetlink's change notifications of this thread's network
// namespace and, with NETLINK_LISTEN_ALL_NSID, of every namespace that has an nsid in it.
// The socket is read on Node's own event loop (a uv_poll_t, so no thread and no
// threadsafe function): each time it is readable, what is queued is read without
// blocking and handed to onBatch({ messages, nsids, overflow }) as one Buffer of
// messages (decoded in TypeScript, by the dumps' decoders) and the nsid of each.
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <uv.h>
#include "addon.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

// What one wake-up reads at most before handing it over: a flood is passed on in
// slices, and the loop (level-triggered) comes back for the rest.
#define BATCH_BYTES (1024 * 1024)
// A receive buffer this large makes ENOBUFS rare: a node's burst of pod churn is a few
// thousand messages of a few hundred bytes each.
#define DEFAULT_RCVBUF (8 * 1024 * 1024)

static const unsigned GROUPS[] = {RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE, RTNLGRP_NEIGH, RTNLGRP_NSID};

struct subscription {
  uv_poll_t poll;
  int fd;
  napi_env env;
  napi_ref on_batch;
  napi_async_context async;
  napi_async_cleanup_hook_handle cleanup;
  char *buf;
  int polling, handle_closed, finalized;
};

struct batch {
  struct bytes messages;
  int32_t *nsids;
  size_t count, cap;
  int overflow;
  int error;
};

static int push_nsid(struct batch *b, int32_t nsid) {
  if (b->count == b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    int32_t *grown = realloc(b->nsids, cap * sizeof *grown);
    if (!grown) return -1;
    b->nsids = grown;
    b->cap = cap;
  }
  b->nsids[b->count++] = nsid;
  return 0;
}

// The nsid our namespace gave the sender; the kernel attaches none to our own namespace's messages.
static int32_t nsid_of(struct msghdr *mh) {
  for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
    if (c->cmsg_level == SOL_NETLINK && c->cmsg_type == NETLINK_LISTEN_ALL_NSID && c->cmsg_len >= CMSG_LEN(sizeof(int32_t))) {
      int32_t nsid;
      memcpy(&nsid, CMSG_DATA(c), sizeof nsid);
      return nsid;
    }
  }
  return -1;
}

// Reads what is queued, up to BATCH_BYTES. ENOBUFS (the kernel dropped messages: the
// buffer was full) and a truncated datagram both mean a change was lost: overflow.
static void read_pending(struct subscription *s, struct batch *b) {
  while (b->messages.len < BATCH_BYTES) {
    char control[CMSG_SPACE(sizeof(int32_t)) * 2];
    struct iovec iov = {.iov_base = s->buf, .iov_len = RECV_SIZE};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    ssize_t n = recvmsg(s->fd, &mh, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {
        b->overflow = 1;
        continue;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK) b->error = errno;
      return;
    }
    if (mh.msg_flags & MSG_TRUNC) {
      b->overflow = 1;
      continue;
    }
    int32_t nsid = nsid_of(&mh);
    int len = (int)n;
    for (struct nlmsghdr *h = (struct nlmsghdr *)s->buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (append_message(&b->messages, h) < 0 || push_nsid(b, nsid) < 0) {
        b->error = ENOMEM;
        return;
      }
    }
  }
}

static void on_closed(uv_handle_t *handle) {
  struct subscription *s = handle->data;
  close(s->fd);
  s->handle_closed = 1;
  if (s->cleanup) napi_remove_async_cleanup_hook(s->cleanup);
  s->cleanup = NULL;
  if (s->finalized) {
    free(s->buf);
    free(s);
  }
}

static void stop_polling(struct subscription *s) {
  if (!s->polling) return;
  s->polling = 0;
  uv_poll_stop(&s->poll);
  uv_close((uv_handle_t *)&s->poll, on_closed);
}

// The JavaScript side's part: after this, onBatch is never called again.
static void release_callback(struct subscription *s) {
  if (s->on_batch) napi_delete_reference(s->env, s->on_batch);
  if (s->async) napi_async_destroy(s->env, s->async);
  s->on_batch = NULL;
  s->async = NULL;
}

static napi_value batch_object(napi_env env, struct batch *b) {
  napi_value object, value, buffer;
  void *data;
  if (napi_create_object(env, &object) != napi_ok) return NULL;
  if (napi_create_buffer_copy(env, b->messages.len, b->messages.len ? b->messages.data : "", &data, &value) != napi_ok) return NULL;
  if (napi_set_named_property(env, object, "messages", value) != napi_ok) return NULL;
  if (napi_create_arraybuffer(env, b->count * sizeof(int32_t), &data, &buffer) != napi_ok) return NULL;
  if (b->count) memcpy(data, b->nsids, b->count * sizeof(int32_t));
  if (napi_create_typedarray(env, napi_int32_array, b->count, buffer, 0, &value) != napi_ok) return NULL;
  if (napi_set_named_property(env, object, "nsids", value) != napi_ok) return NULL;
  if (napi_get_boolean(env, b->overflow, &value) != napi_ok) return NULL;
  if (napi_set_named_property(env, object, "overflow", value) != napi_ok) return NULL;
  if (b->error) {
    char message[160];
    snprintf(message, sizeof message, "reading rtnetlink notifications: %s; the subscription has stopped", strerror(b->error));
    if (napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &value) != napi_ok) return NULL;
    if (napi_set_named_property(env, object, "error", value) != napi_ok) return NULL;
  }
  return object;
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  (void)events;
  struct subscription *s = poll->data;
  if (!s->on_batch) return;
  struct batch b;
  memset(&b, 0, sizeof b);
  if (status < 0) {
    // libuv reports a socket's pending error (POLLERR) as UV_EBADF and stops watching it.
    // On a netlink socket that error is ENOBUFS, the kernel's word for dropped messages:
    // taken off the socket here, it is an overflow, and the watch goes on.
    int err = 0;
    socklen_t len = sizeof err;
    if (status == UV_EBADF && getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && (err == ENOBUFS || err == 0)) {
      b.overflow = err == ENOBUFS;
      int rc = uv_poll_start(&s->poll, UV_READABLE, on_readable);
      if (rc < 0)
        b.error = -rc;
      else
        read_pending(s, &b);
    } else {
      b.error = err ? err : -status;
    }
  } else {
    read_pending(s, &b);
  }
  if (b.error) stop_polling(s);
  if (b.messages.len == 0 && !b.overflow && !b.error) goto done;

  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) goto done;
  napi_value callback, receiver, argument, result;
  // make_callback needs an object to call on (undefined throws): the global one, as for a plain function call.
  if (napi_get_reference_value(env, s->on_batch, &callback) == napi_ok && napi_get_global(env, &receiver) == napi_ok && (argument = batch_object(env, &b))) {
    // make_callback, not call_function: promises and nextTicks the callback queues run afterwards, as for any I/O callback.
    if (napi_make_callback(env, s->async, receiver, callback, 1, &argument, &result) == napi_pending_exception) {
      napi_value exception;
      napi_get_and_clear_last_exception(env, &exception);
      napi_fatal_exception(env, exception);
    }
  }
  napi_close_handle_scope(env, scope);

done:
  free(b.messages.data);
  free(b.nsids);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  struct subscription *s = data;
  s->finalized = 1;
  release_callback(s);
  stop_polling(s);
  if (s->handle_closed) {
    free(s->buf);
    free(s);
  }
}

// The environment is going away (a worker thread ends) with the subscription open.
// on_closed then removes the hook, which tells Node the subscription is gone.
static void cleanup(napi_async_cleanup_hook_handle handle, void *arg) {
  (void)handle;
  stop_polling(arg);
}

// flush(): what is queued now is read and handed to onBatch before flush returns, so a
// caller can take a read of the kernel knowing every notification from before it is in.
static napi_value flush_subscription(napi_env env, napi_callback_info info) {
  napi_value self;
  struct subscription *s;
  if (napi_get_cb_info(env, info, NULL, NULL, &self, NULL) != napi_ok || napi_unwrap(env, self, (void **)&s) != napi_ok) {
    napi_throw_error(env, NULL, "flush(): not a subscription");
    return NULL;
  }
  if (!s->polling || !s->on_batch) return NULL;
  struct batch b;
  memset(&b, 0, sizeof b);
  read_pending(s, &b);
  if (b.error) stop_polling(s);
  napi_value callback, receiver, argument, result;
  if ((b.messages.len > 0 || b.overflow || b.error) && napi_get_reference_value(env, s->on_batch, &callback) == napi_ok && napi_get_global(env, &receiver) == napi_ok && (argument = batch_object(env, &b)))
    napi_call_function(env, receiver, callback, 1, &argument, &result); // an exception goes to flush's caller
  free(b.messages.data);
  free(b.nsids);
  return NULL;
}

static napi_value close_subscription(napi_env env, napi_callback_info info) {
  napi_value self;
  struct subscription *s;
  if (napi_get_cb_info(env, info, NULL, NULL, &self, NULL) != napi_ok || napi_unwrap(env, self, (void **)&s) != napi_ok) {
    napi_throw_error(env, NULL, "close(): not a subscription");
    return NULL;
  }
  release_callback(s);
  stop_polling(s);
  return NULL;
}

// The socket, bound to the groups, listening in every namespace that has an nsid in ours.
static int open_socket(int rcvbuf, struct failure *f) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  if (fd < 0) {
    fail(f, "socket", "NETLINK_ROUTE", errno);
    return -1;
  }
  // SO_RCVBUFFORCE passes net.core.rmem_max (it needs CAP_NET_ADMIN); without it, as much as rmem_max allows.
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) < 0) {
    fail(f, "setsockopt", "SO_RCVBUF", errno);
    goto fail;
  }
  struct sockaddr_nl local = {.nl_family = AF_NETLINK};
  if (bind(fd, (struct sockaddr *)&local, sizeof local) < 0) {
    fail(f, "bind", "NETLINK_ROUTE", errno);
    goto fail;
  }
  for (size_t i = 0; i < sizeof GROUPS / sizeof GROUPS[0]; i++) {
    if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &GROUPS[i], sizeof GROUPS[i]) < 0) {
      fail(f, "setsockopt NETLINK_ADD_MEMBERSHIP", "rtnetlink group", errno);
      goto fail;
    }
  }
  int on = 1;
  // Needs CAP_NET_BROADCAST; without it only our own namespace would be heard, silently.
  if (setsockopt(fd, SOL_NETLINK, NETLINK_LISTEN_ALL_NSID, &on, sizeof on) < 0) {
    fail(f, "setsockopt NETLINK_LISTEN_ALL_NSID (needs CAP_NET_BROADCAST)", NULL, errno);
    goto fail;
  }
  return fd;
fail:
  close(fd);
  return -1;
}

struct socket_request {
  int rcvbuf;
  int fd;
};

// A socket belongs to the namespace it was made in, whichever thread reads it later.
static int open_inside(void *arg, struct failure *f) {
  struct socket_request *r = arg;
  r->fd = open_socket(r->rcvbuf, f);
  return r->fd < 0 ? -1 : 0;
}

// The options: receiveBufferBytes, a positive int32, and nsPath, a string (malloc'd into
// *ns_path); each may be absent. Returns -1 when one is of the wrong type.
static int read_options(napi_env env, napi_value options, int *rcvbuf, char **ns_path) {
  napi_valuetype type;
  if (napi_typeof(env, options, &type) != napi_ok) return -1;
  if (type == napi_undefined) return 0;
  if (type != napi_object) return -1;
  napi_value value;
  if (napi_get_named_property(env, options, "receiveBufferBytes", &value) != napi_ok || napi_typeof(env, value, &type) != napi_ok) return -1;
  if (type != napi_undefined) {
    int32_t n;
    if (type != napi_number || napi_get_value_int32(env, value, &n) != napi_ok || n <= 0) return -1;
    *rcvbuf = n;
  }
  if (napi_get_named_property(env, options, "nsPath", &value) != napi_ok || napi_typeof(env, value, &type) != napi_ok) return -1;
  if (type == napi_undefined) return 0;
  if (type != napi_string) return -1;
  size_t len;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok || !(*ns_path = malloc(len + 1))) return -1;
  return napi_get_value_string_utf8(env, value, *ns_path, len + 1, &len) == napi_ok ? 0 : -1;
}

napi_value subscribe(napi_env env, napi_callback_info info) {
  static const char *const usage = "subscribe(onBatch, options): onBatch must be a function, options.receiveBufferBytes (when given) a positive integer and options.nsPath (when given) a string";
  size_t argc = 2;
  napi_value argv[2], undefined;
  napi_value result = NULL;
  struct subscription *s = NULL;
  char *ns_path = NULL;
  struct socket_request request = {.rcvbuf = DEFAULT_RCVBUF, .fd = -1};

  NAPI_OK(napi_get_undefined(env, &undefined));
  NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_valuetype type;
  if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_function || read_options(env, argc > 1 ? argv[1] : undefined, &request.rcvbuf, &ns_path) < 0) {
    napi_throw_type_error(env, NULL, usage);
    goto done;
  }
  uv_loop_t *loop;
  NAPI_OK(napi_get_uv_event_loop(env, &loop));
  s = calloc(1, sizeof *s);
  if (!s || !(s->buf = malloc(RECV_SIZE))) {
    napi_throw_error(env, NULL, "subscribe: out of memory");
    goto done;
  }
  struct failure f = {{0}};
  if ((ns_path ? in_namespace(ns_path, open_inside, &request, &f) : open_inside(&request, &f)) < 0) {
    // in_namespace fails after the socket was made only when it cannot return: the fd is then useless too.
    if (request.fd >= 0) close(request.fd);
    napi_throw_error(env, NULL, f.message);
    goto done;
  }
  s->fd = request.fd;
  s->env = env;
  s->poll.data = s;
  int rc = uv_poll_init(loop, &s->poll, s->fd);
  if (rc == 0 && (rc = uv_poll_start(&s->poll, UV_READABLE, on_readable)) < 0) uv_close((uv_handle_t *)&s->poll, NULL);
  if (rc < 0) {
    close(s->fd);
    char message[160];
    snprintf(message, sizeof message, "subscribe: watching the netlink socket: %s", uv_strerror(rc));
    napi_throw_error(env, NULL, message);
    goto done;
  }
  s->polling = 1;

  napi_value handle, fn, name, fd;
  NAPI_OK(napi_create_object(env, &handle));
  NAPI_OK(napi_create_string_utf8(env, "netatlas rtnetlink notifications", NAPI_AUTO_LENGTH, &name));
  NAPI_OK(napi_async_init(env, handle, name, &s->async));
  NAPI_OK(napi_create_reference(env, argv[0], 1, &s->on_batch));
  NAPI_OK(napi_create_function(env, "close", NAPI_AUTO_LENGTH, close_subscription, NULL, &fn));
  NAPI_OK(napi_set_named_property(env, handle, "close", fn));
  NAPI_OK(napi_create_function(env, "flush", NAPI_AUTO_LENGTH, flush_subscription, NULL, &fn));
  NAPI_OK(napi_set_named_property(env, handle, "flush", fn));
  NAPI_OK(napi_create_int32(env, s->fd, &fd));
  NAPI_OK(napi_set_named_property(env, handle, "fd", fd));
  NAPI_OK(napi_add_async_cleanup_hook(env, cleanup, s, &s->cleanup));
  NAPI_OK(napi_wrap(env, handle, s, finalize, NULL, NULL));
  s = NULL; // the handle owns it now
  result = handle;

done:
  free(ns_path);
  if (s) {
    // Failed before the handle took it: stop what was started.
    release_callback(s);
    if (s->cleanup) napi_remove_async_cleanup_hook(s->cleanup);
    s->cleanup = NULL;
    if (s->polling) {
      s->finalized = 1;
      stop_polling(s);
    } else {
      free(s->buf);
      free(s);
    }
  }
  return result;
}
