{
  "targets": [
    {
      "target_name": "netatlas_netlink",
      "sources": ["netlink_dump.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-std=gnu11"]
    }
  ]
}
