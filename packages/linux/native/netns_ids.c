// nsids(nsPath, targetPaths): the id the namespace at nsPath has given each target
// namespace, the id its links' IFLA_LINK_NETNSID carry, or -1 where it has given none.
// An nsid means something only inside the namespace that assigned it, and no dump lists
// which namespace an id stands for: the kernel says so only when asked from inside, per
// target, with RTM_GETNSID and a file descriptor of the target's nsfs file (NETNSA_FD).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "addon.h"

// A reply is one RTM_NEWNSID of a few dozen bytes, or an NLMSG_ERROR echoing the request.
#define REPLY_SIZE 1024

// Targets are opened before entering the namespace, as the caller sees them: inside it,
// a path like /proc/self/ns/net (the host's, where PID 1 is out of reach) would name the
// namespace being asked. They are opened this many at a time, to stay far from RLIMIT_NOFILE.
#define CHUNK 256

struct chunk {
  char **paths;
  int *fds;
  uint32_t count;
  int32_t *ids;
};

static int send_getnsid(int sock, int target_fd, unsigned seq) {
  char req[NLMSG_SPACE(sizeof(struct rtgenmsg)) + RTA_SPACE(sizeof(__u32))];
  memset(req, 0, sizeof req);
  struct nlmsghdr *h = (struct nlmsghdr *)req;
  h->nlmsg_len = NLMSG_LENGTH(sizeof(struct rtgenmsg));
  h->nlmsg_type = RTM_GETNSID;
  h->nlmsg_flags = NLM_F_REQUEST;
  h->nlmsg_seq = seq;
  ((struct rtgenmsg *)NLMSG_DATA(h))->rtgen_family = AF_UNSPEC;
  struct rtattr *a = (struct rtattr *)(req + NLMSG_ALIGN(h->nlmsg_len));
  a->rta_type = NETNSA_FD;
  a->rta_len = RTA_LENGTH(sizeof(__u32));
  __u32 fd = (__u32)target_fd;
  memcpy(RTA_DATA(a), &fd, sizeof fd);
  h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  for (;;) {
    if (sendto(sock, req, h->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel) >= 0) return 0;
    if (errno != EINTR) return -1;
  }
}

// NETNSA_NSID of one RTM_NEWNSID; the kernel always includes it (NETNSA_NSID_NOT_ASSIGNED when none).
static int nsid_of(const struct nlmsghdr *h, int32_t *id) {
  int len = (int)h->nlmsg_len - (int)NLMSG_SPACE(sizeof(struct rtgenmsg));
  for (struct rtattr *a = (struct rtattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct rtgenmsg))); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    if (a->rta_type == NETNSA_NSID && RTA_PAYLOAD(a) >= sizeof(int32_t)) {
      memcpy(id, RTA_DATA(a), sizeof *id);
      return 0;
    }
  }
  return -1;
}

static int recv_nsid(int sock, char *buf, unsigned seq, const char *path, int32_t *id, struct failure *f) {
  for (;;) {
    ssize_t n = recv(sock, buf, REPLY_SIZE, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(f, "RTM_GETNSID recv for", path, errno);
      return -1;
    }
    int len = (int)n;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != seq) continue;
      if (h->nlmsg_type == NLMSG_ERROR) {
        const struct nlmsgerr *e = NLMSG_DATA(h);
        fail(f, "RTM_GETNSID for", path, h->nlmsg_len < NLMSG_LENGTH(sizeof *e) ? EBADMSG : -e->error);
        return -1;
      }
      if (h->nlmsg_type == RTM_NEWNSID) {
        if (nsid_of(h, id) == 0) return 0;
        fail(f, "RTM_GETNSID reply without NETNSA_NSID for", path, EBADMSG);
        return -1;
      }
    }
  }
}

// Runs inside the asking namespace: one socket, one request per target.
static int ask_chunk(void *arg, struct failure *f) {
  struct chunk *c = arg;
  int sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (sock < 0) {
    fail(f, "socket", "NETLINK_ROUTE", errno);
    return -1;
  }
  char buf[REPLY_SIZE];
  int rc = 0;
  for (uint32_t i = 0; i < c->count && rc == 0; i++) {
    unsigned seq = i + 1;
    if (send_getnsid(sock, c->fds[i], seq) < 0) {
      fail(f, "RTM_GETNSID send for", c->paths[i], errno);
      rc = -1;
    } else {
      rc = recv_nsid(sock, buf, seq, c->paths[i], &c->ids[i], f);
    }
  }
  close(sock);
  return rc;
}

// Opens one chunk's targets here, asks from inside ns_path, and closes them again.
static int ask_all(const char *ns_path, char **paths, uint32_t count, int32_t *ids, struct failure *f) {
  int fds[CHUNK];
  for (uint32_t start = 0; start < count; start += CHUNK) {
    struct chunk c = {.paths = paths + start, .fds = fds, .count = count - start < CHUNK ? count - start : CHUNK, .ids = ids + start};
    uint32_t opened = 0;
    int rc = 0;
    for (; opened < c.count; opened++) {
      fds[opened] = open(c.paths[opened], O_RDONLY | O_CLOEXEC);
      if (fds[opened] < 0) {
        fail(f, "open", c.paths[opened], errno);
        rc = -1;
        break;
      }
    }
    if (rc == 0) rc = in_namespace(ns_path, ask_chunk, &c, f);
    for (uint32_t i = 0; i < opened; i++) close(fds[i]);
    if (rc < 0) return -1;
  }
  return 0;
}

napi_value netns_ids(napi_env env, napi_callback_info info) {
  static const char *const usage = "nsids(nsPath, targetPaths): nsPath must be a string and targetPaths an array of strings";
  size_t argc = 2;
  napi_value argv[2];
  napi_value result = NULL;
  char *ns_path = NULL;
  char **paths = NULL;
  int32_t *ids = NULL;
  uint32_t count = 0;
  bool is_array = false;

  NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || napi_is_array(env, argv[1], &is_array) != napi_ok || !is_array) {
    napi_throw_type_error(env, NULL, usage);
    goto done;
  }
  if (!(ns_path = string_arg(env, argv[0], usage))) goto done;
  NAPI_OK(napi_get_array_length(env, argv[1], &count));
  paths = calloc(count ? count : 1, sizeof *paths);
  ids = calloc(count ? count : 1, sizeof *ids);
  if (!paths || !ids) {
    napi_throw_error(env, NULL, "nsids: out of memory");
    goto done;
  }
  for (uint32_t i = 0; i < count; i++) {
    napi_value element;
    NAPI_OK(napi_get_element(env, argv[1], i, &element));
    if (!(paths[i] = string_arg(env, element, usage))) goto done;
  }

  struct failure f = {{0}};
  if (ask_all(ns_path, paths, count, ids, &f) < 0) {
    napi_throw_error(env, NULL, f.message);
    goto done;
  }
  napi_value array, value;
  NAPI_OK(napi_create_array_with_length(env, count, &array));
  for (uint32_t i = 0; i < count; i++) {
    NAPI_OK(napi_create_int32(env, ids[i], &value));
    NAPI_OK(napi_set_element(env, array, i, value));
  }
  result = array;

done:
  if (paths)
    for (uint32_t i = 0; i < count; i++) free(paths[i]);
  free(paths);
  free(ids);
  free(ns_path);
  return result;
}
