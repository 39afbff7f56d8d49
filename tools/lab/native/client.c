/*
 * A pod's second container: asks the pod's HTTP server on 127.0.0.1 every few
 * seconds and prints the status line, so the pod shows two containers sharing
 * one namespace and one of them reaching the other on localhost.
 * Usage: client PORT [INTERVAL_SECONDS]
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void ask(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return;
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  char line[128] = "no answer";
  if (connect(fd, (struct sockaddr *)&to, sizeof to) == 0) {
    const char *request = "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (write(fd, request, strlen(request)) > 0) {
      ssize_t n = read(fd, line, sizeof line - 1);
      line[n > 0 ? n : 0] = '\0';
      line[strcspn(line, "\r\n")] = '\0';
    }
  }
  close(fd);
  printf("%ld %s\n", (long)time(NULL), line);
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: client PORT [INTERVAL_SECONDS]\n");
    return 2;
  }
  int port = atoi(argv[1]);
  int interval = argc > 2 ? atoi(argv[2]) : 5;
  if (port <= 0 || port > 65535 || interval <= 0) {
    fprintf(stderr, "client: bad PORT or INTERVAL\n");
    return 2;
  }
  for (;;) {
    ask(port);
    sleep((unsigned)interval);
  }
}
