// dump(nsPath): the raw rtnetlink dumps of one network namespace, read in this
// thread without starting a process. The bytes are decoded in TypeScript
// (src/netlink/); this file only asks and collects (in_namespace.c enters), and
// registers the addon's functions.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "addon.h"

// A dump that changed under the kernel's feet (NLM_F_DUMP_INTR) is asked again this often.
#define DUMP_ATTEMPTS 3

int append(struct bytes *b, const void *data, size_t len) {
  if (b->len + len > b->cap) {
    size_t cap = b->cap ? b->cap : RECV_SIZE;
    while (cap < b->len + len) cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown) return -1;
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, len);
  b->len += len;
  return 0;
}

int append_message(struct bytes *b, const struct nlmsghdr *h) {
  static const char zeros[NLMSG_ALIGNTO] = {0};
  if (append(b, h, h->nlmsg_len) < 0) return -1;
  return append(b, zeros, NLMSG_ALIGN(h->nlmsg_len) - h->nlmsg_len);
}

// One dump request: nlmsghdr, a zeroed family header of `header_len` bytes whose first
// byte is the family (true of ifinfomsg, ifaddrmsg, rtmsg and ndmsg), and for links
// IFLA_EXT_MASK. The kernel rejects an AF_BRIDGE neighbour dump whose header is shorter than ndmsg.
static int send_dump(int fd, int type, int family, size_t header_len, unsigned seq) {
  char req[NLMSG_SPACE(sizeof(struct ifinfomsg)) + RTA_SPACE(sizeof(__u32))];
  memset(req, 0, sizeof req);
  struct nlmsghdr *h = (struct nlmsghdr *)req;
  h->nlmsg_len = NLMSG_LENGTH(header_len);
  h->nlmsg_type = type;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  h->nlmsg_seq = seq;
  ((unsigned char *)NLMSG_DATA(h))[0] = (unsigned char)family;
  if (type == RTM_GETLINK) {
    struct rtattr *a = (struct rtattr *)(req + NLMSG_ALIGN(h->nlmsg_len));
    a->rta_type = IFLA_EXT_MASK;
    a->rta_len = RTA_LENGTH(sizeof(__u32));
    __u32 mask = RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS;
    memcpy(RTA_DATA(a), &mask, sizeof mask);
    h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + a->rta_len;
  }
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  for (;;) {
    ssize_t n = sendto(fd, req, h->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof kernel);
    if (n >= 0) return 0;
    if (errno != EINTR) return -1;
  }
}

// Collects one dump's messages (without NLMSG_DONE) into out. Returns 0, or -1 with f set.
static int collect_dump(int fd, char *buf, unsigned seq, const char *what, struct bytes *out, int *interrupted, struct failure *f) {
  for (;;) {
    ssize_t n = recv(fd, buf, RECV_SIZE, MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(f, what, "recv", errno);
      return -1;
    }
    if (n > RECV_SIZE) {
      fail(f, what, "recv", EMSGSIZE);
      return -1;
    }
    int len = (int)n;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != seq) continue;
      if (h->nlmsg_flags & NLM_F_DUMP_INTR) *interrupted = 1;
      if (h->nlmsg_type == NLMSG_DONE) return 0;
      if (h->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *e = NLMSG_DATA(h);
        if (h->nlmsg_len < NLMSG_LENGTH(sizeof *e)) {
          fail(f, what, "short NLMSG_ERROR", EBADMSG);
          return -1;
        }
        if (e->error == 0) continue;
        fail(f, what, NULL, -e->error);
        return -1;
      }
      if (append_message(out, h) < 0) {
        fail(f, what, "collect", ENOMEM);
        return -1;
      }
    }
  }
}

static int dump(int fd, char *buf, int type, int family, size_t header_len, const char *what, unsigned *seq, struct bytes *out, struct failure *f) {
  for (int attempt = 1;; attempt++) {
    int interrupted = 0;
    out->len = 0;
    ++*seq;
    if (send_dump(fd, type, family, header_len, *seq) < 0) {
      fail(f, what, "send", errno);
      return -1;
    }
    if (collect_dump(fd, buf, *seq, what, out, &interrupted, f) < 0) return -1;
    if (!interrupted || attempt == DUMP_ATTEMPTS) return 0;
  }
}

// "1\n" -> 1; -1 when it cannot be read (then the caller says nothing about forwarding).
static int read_ip_forward(void) {
  int fd = open("/proc/sys/net/ipv4/ip_forward", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char text[8] = {0};
  ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  return n > 0 && (text[0] == '0' || text[0] == '1') ? text[0] - '0' : -1;
}

// Appends "name value\n" for one sysctl file; a file that cannot be read (br_netfilter not
// loaded, an interface gone meanwhile) is left out, and the caller says nothing of it.
static int append_sysctl(struct bytes *out, const char *path, const char *name) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char value[32] = {0};
  ssize_t n = read(fd, value, sizeof value - 1);
  close(fd);
  if (n <= 0) return 0;
  value[strcspn(value, "\n")] = 0;
  char line[128];
  int len = snprintf(line, sizeof line, "%s %s\n", name, value);
  if (len < 0 || (size_t)len >= sizeof line) return 0;
  return append(out, line, (size_t)len);
}

// The sysctls that decide what netfilter sees: rp_filter of all, default and each interface,
// and br_netfilter's bridge-nf-call-ip(6)tables, as "rp_filter/<conf> <value>" lines.
static int read_sysctls(struct bytes *out) {
  DIR *conf = opendir("/proc/sys/net/ipv4/conf");
  if (conf) {
    struct dirent *e;
    while ((e = readdir(conf))) {
      if (e->d_name[0] == '.') continue;
      char path[128], name[64];
      snprintf(path, sizeof path, "/proc/sys/net/ipv4/conf/%s/rp_filter", e->d_name);
      snprintf(name, sizeof name, "rp_filter/%s", e->d_name);
      if (append_sysctl(out, path, name) < 0) {
        closedir(conf);
        return -1;
      }
    }
    closedir(conf);
  }
  if (append_sysctl(out, "/proc/sys/net/bridge/bridge-nf-call-iptables", "bridge-nf-call-iptables") < 0) return -1;
  return append_sysctl(out, "/proc/sys/net/bridge/bridge-nf-call-ip6tables", "bridge-nf-call-ip6tables");
}

enum { LINKS, ADDRS, ROUTES, NEIGHS, FDB, DUMPS };
static const char *const DUMP_NAMES[DUMPS] = {"links", "addrs", "routes", "neighs", "fdb"};

struct reading {
  struct bytes dumps[DUMPS];
  int ip_forward;
  struct bytes sysctls;
};

static int read_inside(void *arg, struct failure *f) {
  struct reading *r = arg;
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) {
    fail(f, "socket", "NETLINK_ROUTE", errno);
    return -1;
  }
  char *buf = malloc(RECV_SIZE);
  if (!buf) {
    close(fd);
    fail(f, "malloc", NULL, ENOMEM);
    return -1;
  }
  unsigned seq = 0;
  int rc = 0;
  if (dump(fd, buf, RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), "RTM_GETLINK dump", &seq, &r->dumps[LINKS], f) < 0 ||
      dump(fd, buf, RTM_GETADDR, AF_UNSPEC, sizeof(struct ifaddrmsg), "RTM_GETADDR dump", &seq, &r->dumps[ADDRS], f) < 0 ||
      dump(fd, buf, RTM_GETROUTE, AF_UNSPEC, sizeof(struct rtmsg), "RTM_GETROUTE dump", &seq, &r->dumps[ROUTES], f) < 0 ||
      dump(fd, buf, RTM_GETNEIGH, AF_UNSPEC, sizeof(struct ndmsg), "RTM_GETNEIGH dump", &seq, &r->dumps[NEIGHS], f) < 0 ||
      dump(fd, buf, RTM_GETNEIGH, AF_BRIDGE, sizeof(struct ndmsg), "RTM_GETNEIGH (AF_BRIDGE) dump", &seq, &r->dumps[FDB], f) < 0)
    rc = -1;
  free(buf);
  close(fd);
  // /proc/sys/net shows the namespace of the thread that opens the file: this one, now.
  if (rc == 0) r->ip_forward = read_ip_forward();
  if (rc == 0 && read_sysctls(&r->sysctls) < 0) {
    fail(f, "read sysctls", NULL, ENOMEM);
    rc = -1;
  }
  return rc;
}

static napi_value dump_namespace(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_value result = NULL;
  char *path = NULL;
  struct reading r = {.ip_forward = -1};

  NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1) {
    napi_throw_type_error(env, NULL, "dump(nsPath): nsPath must be a string");
    goto done;
  }
  if (!(path = string_arg(env, argv[0], "dump(nsPath): nsPath must be a string"))) goto done;

  struct failure f = {{0}};
  if (in_namespace(path, read_inside, &r, &f) < 0) {
    napi_throw_error(env, NULL, f.message);
    goto done;
  }
  napi_value object, value;
  NAPI_OK(napi_create_object(env, &object));
  for (int i = 0; i < DUMPS; i++) {
    void *copy;
    NAPI_OK(napi_create_buffer_copy(env, r.dumps[i].len, r.dumps[i].len ? r.dumps[i].data : "", &copy, &value));
    NAPI_OK(napi_set_named_property(env, object, DUMP_NAMES[i], value));
  }
  NAPI_OK(napi_create_int32(env, r.ip_forward, &value));
  NAPI_OK(napi_set_named_property(env, object, "ipForward", value));
  NAPI_OK(napi_create_string_utf8(env, r.sysctls.len ? r.sysctls.data : "", r.sysctls.len, &value));
  NAPI_OK(napi_set_named_property(env, object, "sysctls", value));
  result = object;

done:
  for (int i = 0; i < DUMPS; i++) free(r.dumps[i].data);
  free(r.sysctls.data);
  free(path);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "dump", NAPI_AUTO_LENGTH, dump_namespace, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "dump", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "nsids", NAPI_AUTO_LENGTH, netns_ids, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "nsids", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "subscribe", NAPI_AUTO_LENGTH, subscribe, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "subscribe", fn) != napi_ok) return NULL;
  return exports;
}
