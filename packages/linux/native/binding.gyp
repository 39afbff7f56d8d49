{
  "targets": [
    {
      "target_name": "netatlas_netlink",
      "sources": ["netlink_dump.c", "in_namespace.c", "netns_ids.c", "notifications.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-std=gnu11"]
    }
  ]
}
