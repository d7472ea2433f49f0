/* healthcheck: a tiny static probe for images without a shell or an interpreter (distroless, scratch).
 *
 * Written by dockwright; built in the builder stage with `gcc -static -Os -s` (about 700 KB) and run by
 * HEALTHCHECK in exec form:
 *
 *     healthcheck http PORT PATH   GET http://127.0.0.1:PORT/PATH; healthy on a 2xx or 3xx status
 *     healthcheck tcp PORT         healthy when 127.0.0.1:PORT accepts a connection
 *     healthcheck --port-env NAME http|tcp PORT ...
 *                                  the port is the variable NAME when it is set and not empty (a start
 *                                  command that listens on $PORT), else PORT
 *
 * Exit status 0 = healthy, 1 = unhealthy (what Docker expects). Loopback only, numeric address, no DNS,
 * no TLS: the probe asks the app in its own container, nothing else. A 4-second alarm bounds every call.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void on_alarm(int sig) {
    (void)sig;
    _exit(1);
}

static int connect_loopback(const char *port_text) {
    char *end = NULL;
    long port = strtol(port_text, &end, 10);
    if (end == port_text || *end != '\0' || port < 1 || port > 65535) {
        fprintf(stderr, "healthcheck: bad port %s\n", port_text);
        exit(1);
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)port);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("healthcheck: connect");
        exit(1);
    }
    return fd;
}

static int http_probe(const char *port, const char *path) {
    int fd = connect_loopback(port);
    char request[1024];
    int n = snprintf(request, sizeof request,
                     "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nUser-Agent: dockwright-healthcheck\r\n"
                     "Connection: close\r\n\r\n",
                     path, port);
    if (n < 0 || (size_t)n >= sizeof request || write(fd, request, (size_t)n) != n) {
        fprintf(stderr, "healthcheck: cannot send the request\n");
        return 1;
    }
    char reply[64];
    size_t got = 0;
    while (got < sizeof reply - 1) {
        ssize_t r = read(fd, reply + got, sizeof reply - 1 - got);
        if (r <= 0) break;
        got += (size_t)r;
    }
    reply[got] = '\0';
    close(fd);
    /* "HTTP/1.x NNN ..." */
    const char *space = strchr(reply, ' ');
    if (strncmp(reply, "HTTP/", 5) != 0 || space == NULL) {
        fprintf(stderr, "healthcheck: no HTTP status line\n");
        return 1;
    }
    int status = atoi(space + 1);
    if (status >= 200 && status < 400) return 0;
    fprintf(stderr, "healthcheck: HTTP %d\n", status);
    return 1;
}

int main(int argc, char **argv) {
    signal(SIGALRM, on_alarm);
    alarm(4);
    if (argc >= 3 && strcmp(argv[1], "--port-env") == 0) {
        const char *value = getenv(argv[2]);
        argc -= 2;
        argv += 2;
        if (argc >= 3 && value != NULL && value[0] != '\0') argv[2] = (char *)value;
    }
    if (argc == 4 && strcmp(argv[1], "http") == 0) return http_probe(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "tcp") == 0) {
        close(connect_loopback(argv[2]));
        return 0;
    }
    fprintf(stderr, "usage: healthcheck [--port-env NAME] http PORT PATH | healthcheck [--port-env NAME] tcp PORT\n");
    return 1;
}
