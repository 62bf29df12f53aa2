// The benchmark's default backend: a single-threaded epoll HTTP/1.1 server on 127.0.0.1:PORT that answers
//   GET /items/{id}  ->  200 {"id":"{id}"}  (application/json)
// and anything else with 404, keeping every connection alive (pipelined requests are answered in order).
// Its responses carry the same headers as the nginx backend's (Server, Date, Content-Type, Content-Length,
// Connection), so a proxy has the same work to do with either.
//
// It exists because it costs less CPU per request than `nginx return 200` on this machine (measured: about 4 µs
// instead of 5.6 µs serving wrk directly, and with it an nginx proxy run went from about 52k to 61k req/s because
// the core wrk and the backend share was no longer saturated). Benchmarks/run compiles it with `cc -O2` into its
// temp directory; BACKEND=nginx uses the nginx backend instead.
//
// Not a general-purpose server: no request bodies, no chunked encoding, 16 KiB of buffered input per connection.

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUFFER_SIZE 16384
#define MAX_FD 65536
#define MAX_EVENTS 256

struct connection {
    int polling_out;
    size_t in_length;
    size_t out_length;
    char in[BUFFER_SIZE];
    char out[BUFFER_SIZE];
};

static struct connection *connections[MAX_FD];
static int epoll_fd;
static char date_header[64];
static time_t date_second = -1;

static void update_date(void) {
    time_t now = time(NULL);
    if (now == date_second) return;
    date_second = now;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date_header, sizeof date_header, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

static void close_connection(int fd) {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    free(connections[fd]);
    connections[fd] = NULL;
}

// Writes what is buffered; polls for writability only while something is left. Returns -1 on a dead socket.
static int flush_output(int fd, struct connection *c) {
    size_t offset = 0;
    while (offset < c->out_length) {
        ssize_t written = send(fd, c->out + offset, c->out_length - offset, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            return -1;
        }
        offset += (size_t)written;
    }
    memmove(c->out, c->out + offset, c->out_length - offset);
    c->out_length -= offset;
    int want_out = c->out_length != 0;
    if (want_out != c->polling_out) {
        struct epoll_event event = {.events = EPOLLIN | (want_out ? EPOLLOUT : 0), .data.fd = fd};
        epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &event);
        c->polling_out = want_out;
    }
    return 0;
}

// Appends the response to one request whose head is [start, end). Returns 0, or -1 if the output is full.
static int respond(struct connection *c, const char *start, const char *end) {
    if (c->out_length + 512 > BUFFER_SIZE) return -1;
    const char *id = NULL, *id_end = NULL;
    const char *target = memchr(start, ' ', (size_t)(end - start));
    if (target && end - target > 8 && memcmp(target + 1, "/items/", 7) == 0) {
        const char *p = target + 8;
        while (p < end && *p != ' ' && *p != '/' && *p != '?' && *p != '\r') p++;
        if (p > target + 8 && p < end && *p == ' ' && p - (target + 8) <= 200) {
            id = target + 8;
            id_end = p;
        }
    }
    char body[256];
    int body_length = id ? snprintf(body, sizeof body, "{\"id\":\"%.*s\"}", (int)(id_end - id), id)
                         : snprintf(body, sizeof body, "{\"message\":\"Not Found\"}");
    c->out_length += (size_t)snprintf(c->out + c->out_length, BUFFER_SIZE - c->out_length,
        "HTTP/1.1 %s\r\nServer: portico-bench-backend\r\nDate: %s\r\nContent-Type: application/json\r\n"
        "Content-Length: %d\r\nConnection: keep-alive\r\n\r\n%s",
        id ? "200 OK" : "404 Not Found", date_header, body_length, body);
    return 0;
}

// Answers every complete request head in the input buffer. Returns -1 if the connection was closed.
static int process_input(int fd, struct connection *c) {
    char *start = c->in, *end;
    while ((end = memmem(start, (size_t)(c->in + c->in_length - start), "\r\n\r\n", 4)) != NULL) {
        if (respond(c, start, end) < 0) {
            if (flush_output(fd, c) < 0) { close_connection(fd); return -1; }
            if (respond(c, start, end) < 0) break; // the client is not reading; go on when it is writable
        }
        start = end + 4;
    }
    memmove(c->in, start, (size_t)(c->in + c->in_length - start));
    c->in_length -= (size_t)(start - c->in);
    return 0;
}

static void handle_readable(int fd, struct connection *c) {
    for (;;) {
        if (c->in_length == BUFFER_SIZE) { close_connection(fd); return; } // a head larger than the buffer
        ssize_t received = read(fd, c->in + c->in_length, BUFFER_SIZE - c->in_length);
        if (received < 0 && errno == EINTR) continue;
        if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (received <= 0) { close_connection(fd); return; }
        c->in_length += (size_t)received;
        if (process_input(fd, c) < 0) return;
        if ((size_t)received < BUFFER_SIZE / 2) break; // most likely drained; level-triggered epoll says if not
    }
    if (c->out_length && flush_output(fd, c) < 0) close_connection(fd);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT   (listens on 127.0.0.1:PORT)\n", argv[0]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1]))};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 4096) < 0) {
        perror("backend: listen");
        return 1;
    }
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event = {.events = EPOLLIN, .data.fd = listener}, events[MAX_EVENTS];
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &event);
    for (;;) {
        int ready = epoll_wait(epoll_fd, events, MAX_EVENTS, -1);
        if (ready < 0) {
            if (errno == EINTR) continue;
            perror("backend: epoll_wait");
            return 1;
        }
        update_date();
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    if (client >= MAX_FD || !(connections[client] = calloc(1, sizeof(struct connection)))) {
                        close(client);
                        continue;
                    }
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct epoll_event client_event = {.events = EPOLLIN, .data.fd = client};
                    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, client, &client_event);
                }
                continue;
            }
            struct connection *c = connections[fd];
            if (!c) continue;
            if (events[i].events & EPOLLOUT) {
                if (flush_output(fd, c) < 0) { close_connection(fd); continue; }
                if (c->in_length && (process_input(fd, c) < 0 || (c->out_length && flush_output(fd, c) < 0))) {
                    if (connections[fd]) close_connection(fd);
                    continue;
                }
            }
            if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) handle_readable(fd, c);
        }
    }
}
