/*
 * The lab's sandbox holder and node init, like Kubernetes' pause: it holds a
 * namespace by being alive, reaps orphans when it is PID 1, and ends on
 * SIGINT/SIGTERM. Its arguments are ignored; the lab puts a marker there so
 * `netatlas-lab down` can find what it started even after a crash.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void finish(int sig) {
  (void)sig;
  _exit(0);
}

static void reap(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction on_end = {.sa_handler = finish};
  struct sigaction on_child = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP};
  if (sigaction(SIGINT, &on_end, NULL) < 0 || sigaction(SIGTERM, &on_end, NULL) < 0 || sigaction(SIGCHLD, &on_child, NULL) < 0) return 1;
  for (;;) pause();
}
