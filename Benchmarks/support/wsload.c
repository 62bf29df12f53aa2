// Benchmarks/websocket's echo client: a single-threaded epoll WebSocket load generator.
//
//   wsload [-c CONNECTIONS] [-w WARMUP_S] [-d DURATION_S] [-m MESSAGE] [-e ANSWER] [-H HOST_HEADER] [-p PID]
//          ws://HOST:PORT/PATH
//
// It opens CONNECTIONS connections (default 64), does the RFC 6455 client handshake on each (checks the 101 and
// Sec-WebSocket-Accept), then every connection loops: send MESSAGE as one masked text frame, read the whole answer
// frame, check it is a text frame equal to ANSWER, record the round trip, send again. It runs WARMUP_S (default 2)
// then DURATION_S (default 10) seconds and prints messages/s and the p50/p99/max round trip in microseconds over
// the measured part, with its own CPU time and, given -p, that process's CPU time over the same window (so a reader
// can tell which side was the limit). A wrong answer, a close frame or a broken connection is a protocol error:
// any makes it exit 1.
//
// It exists because the Python client (asyncio + websockets) topped out at about 10.8k messages/s on this 2-core
// machine, well below what Portico can echo. Benchmarks/websocket compiles it with `cc -O2`; libc only.
// Not a general client: no fragmented or compressed messages, messages up to 256 bytes,
// answers up to 64 KiB, the host a name or an IPv4 address (getaddrinfo).

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IN_SIZE 65536
#define MAX_BUCKET 1000000 // round trips are counted per microsecond up to 1 s; longer ones land in the last bucket

struct connection {
    int fd, polling_out;
    size_t out_length, out_sent; // the frame being sent (partial writes resume at out_sent)
    size_t in_length;            // bytes of the answer frame read so far
    uint64_t sent_at;            // ns, when the current message's first byte was written
    unsigned char out[256 + 14];
    unsigned char in[IN_SIZE];
};

static uint32_t histogram[MAX_BUCKET + 1];
static uint64_t measured_count, max_round_trip_ns, errors;
static const char *message = "{\"action\":\"echo\",\"data\":\"ping\"}";
static const char *answer = "{\"ok\":true}";
static size_t message_length, answer_length;
static uint64_t rng_state;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double cpu_seconds_self(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// utime + stime of another process, from /proc/PID/stat (fields 14 and 15, counted after the ")" of the name).
static double cpu_seconds_of(int pid) {
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *file = fopen(path, "r");
    if (!file) return -1;
    size_t length = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[length] = 0;
    char *p = strrchr(text, ')');
    unsigned long utime = 0, stime = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2) return -1;
    return (double)(utime + stime) / sysconf(_SC_CLK_TCK);
}

// xorshift64: masking keys need not be secret here (RFC 6455 wants them unpredictable to protect proxies' caches,
// which loopback has none of), and getrandom per frame would cost a syscall per message.
static uint32_t next_random(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

// ---- SHA-1 (FIPS 180-4) and base64, only for the handshake's Sec-WebSocket-Accept ----
static uint32_t rol(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

static void sha1(const unsigned char *data, size_t length, unsigned char digest[20]) {
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    size_t padded = ((length + 8) / 64 + 1) * 64; // message + 0x80 + zeros + 64-bit bit length
    unsigned char block[64];
    for (size_t offset = 0; offset < padded; offset += 64) {
        for (size_t i = 0; i < 64; i++) {
            size_t at = offset + i;
            block[i] = at < length ? data[at] : at == length ? 0x80 : 0;
        }
        if (offset + 64 == padded)
            for (int i = 0; i < 8; i++) block[63 - i] = (unsigned char)(((uint64_t)length * 8) >> (8 * i));
        uint32_t w[80];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)block[4 * i] << 24 | block[4 * i + 1] << 16 | block[4 * i + 2] << 8 | block[4 * i + 3];
        for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++) {
            uint32_t f, k;
            if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
            else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
            else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
            else f = b ^ c ^ d, k = 0xCA62C1D6;
            uint32_t t = rol(a, 5) + f + e + k + w[i];
            e = d, d = c, c = rol(b, 30), b = a, a = t;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
    for (int i = 0; i < 20; i++) digest[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void base64(const unsigned char *data, size_t length, char *out) {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < length; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (i + 1 < length ? data[i + 1] << 8 : 0) | (i + 2 < length ? data[i + 2] : 0);
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = i + 1 < length ? alphabet[v >> 6 & 63] : '=';
        out[o++] = i + 2 < length ? alphabet[v & 63] : '=';
    }
    out[o] = 0;
}

// ---- connecting ----
static void fail(const char *what) {
    fprintf(stderr, "wsload: %s\n", what);
    exit(2);
}

// One blocking connect + handshake (done one connection after another before the load starts: on loopback that
// takes well under a millisecond each, and keeps the state machine below to the message loop). Exits on failure.
static int open_websocket(const struct addrinfo *address, const char *host_header, const char *path) {
    int fd = socket(address->ai_family, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, address->ai_addr, address->ai_addrlen) != 0) fail(strerror(errno));
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); // one small frame per round trip: no Nagle delay
    struct timeval timeout = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

    unsigned char nonce[16];
    if (getrandom(nonce, sizeof nonce, 0) != sizeof nonce) fail("getrandom failed");
    char key[32], request[2048];
    base64(nonce, sizeof nonce, key);
    int length = snprintf(request, sizeof request,
                          "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", path, host_header, key);
    if (length >= (int)sizeof request || write(fd, request, length) != length) fail("handshake write failed");

    // Read up to the end of the head, one byte at a time: the server sends nothing after a 101 until it gets a
    // frame, but reading byte-wise means no frame bytes could be swallowed with the head if it did.
    char head[4096];
    size_t got = 0;
    while (got < 4 || memcmp(head + got - 4, "\r\n\r\n", 4) != 0) {
        ssize_t n = got == sizeof head - 1 ? 0 : read(fd, head + got, 1);
        if (n != 1) {
            fprintf(stderr, "wsload: handshake: no complete response head (%s) after %zu bytes: %.*s\n",
                    n < 0 ? strerror(errno) : "end of stream", got, (int)got, head);
            exit(2);
        }
        got++;
    }
    head[got] = 0;
    if (strncmp(head, "HTTP/1.1 101", 12) != 0) {
        fprintf(stderr, "wsload: handshake refused:\n%s", head);
        exit(2);
    }
    char expected[96], accept[29];
    unsigned char digest[20];
    snprintf(expected, sizeof expected, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    sha1((const unsigned char *)expected, strlen(expected), digest);
    base64(digest, sizeof digest, accept);
    const char *line = head;
    while ((line = strstr(line, "\r\n")) && (line += 2) && strncasecmp(line, "sec-websocket-accept:", 21) != 0) {}
    if (!line) fail("handshake: no Sec-WebSocket-Accept");
    line += 21;
    while (*line == ' ') line++;
    if (strncmp(line, accept, 28) != 0 || line[28] != '\r') fail("handshake: wrong Sec-WebSocket-Accept");
    return fd;
}

// ---- the message loop ----
// Frames the message into c->out: FIN + text, the mask bit and a 7- or 16-bit length, the masking key, the
// masked payload (clients must mask every frame, RFC 6455 §5.3).
static void frame_message(struct connection *c) {
    size_t length = message_length, at = 0;
    c->out[at++] = 0x81;
    if (length < 126) c->out[at++] = 0x80 | (unsigned char)length;
    else c->out[at++] = 0x80 | 126, c->out[at++] = (unsigned char)(length >> 8), c->out[at++] = (unsigned char)length;
    uint32_t mask = next_random();
    memcpy(c->out + at, &mask, 4);
    const unsigned char *key = c->out + at;
    at += 4;
    for (size_t i = 0; i < length; i++) c->out[at + i] = (unsigned char)message[i] ^ key[i % 4];
    c->out_length = at + length;
    c->out_sent = 0;
}

// Writes what is left of the current frame. EPOLLOUT is asked for only while part of a frame waits for room in
// the socket buffer (rare: frames are tiny), and dropped again once it is sent.
static int send_rest(int epoll_fd, struct connection *c) {
    while (c->out_sent < c->out_length) {
        ssize_t n = write(c->fd, c->out + c->out_sent, c->out_length - c->out_sent);
        if (n < 0 && errno == EAGAIN) break;
        if (n <= 0) return -1;
        c->out_sent += (size_t)n;
    }
    int want_out = c->out_sent < c->out_length;
    if (want_out == c->polling_out) return 0;
    c->polling_out = want_out;
    struct epoll_event event = {.events = EPOLLIN | (want_out ? EPOLLOUT : 0), .data.ptr = c};
    return epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &event);
}

static int start_message(int epoll_fd, struct connection *c) {
    frame_message(c);
    c->sent_at = now_ns();
    if (send_rest(epoll_fd, c) == 0) return 0;
    fprintf(stderr, "wsload: connection %d: %s\n", c->fd, strerror(errno));
    return -1;
}

// The length of the whole frame at the start of c->in (and of its header, in *header), or 0 while the header is
// incomplete.
static size_t frame_length(const struct connection *c, size_t *header) {
    if (c->in_length < 2) return 0;
    size_t payload = c->in[1] & 0x7f;
    *header = 2 + ((c->in[1] & 0x80) ? 4 : 0);
    if (payload == 126) {
        if (c->in_length < 4) return 0;
        payload = (size_t)c->in[2] << 8 | c->in[3], *header += 2;
    } else if (payload == 127) {
        if (c->in_length < 10) return 0;
        payload = 0, *header += 8;
        for (int i = 2; i < 10; i++) payload = payload << 8 | c->in[i];
    }
    return *header + payload;
}

// Reads what has arrived; when a whole frame is there, checks it, records the round trip and sends the next message.
// Returns -1 when the connection is no use any more (closed, broken, or answered with something else).
static int on_readable(int epoll_fd, struct connection *c, uint64_t measure_from, uint64_t stop_at) {
    ssize_t n = read(c->fd, c->in + c->in_length, IN_SIZE - c->in_length);
    if (n < 0 && errno == EAGAIN) return 0;
    if (n <= 0) {
        fprintf(stderr, "wsload: connection %d %s\n", c->fd, n == 0 ? "closed by the server" : strerror(errno));
        return -1;
    }
    c->in_length += (size_t)n;
    size_t header = 0, whole = frame_length(c, &header);
    if (whole == 0 || c->in_length < whole) {
        if (whole > IN_SIZE) fail("answer frame larger than 64 KiB");
        return 0; // the rest is still on its way
    }
    uint64_t now = now_ns(), round_trip = now - c->sent_at;
    int opcode = c->in[0] & 0x0f;
    size_t body = whole - header;
    // Exactly one answer per message is expected; anything more (a second frame, a ping) is a protocol error too.
    if (opcode != 1 || !(c->in[0] & 0x80) || (c->in[1] & 0x80) || c->in_length != whole || body != answer_length ||
        memcmp(c->in + header, answer, body) != 0) {
        fprintf(stderr, "wsload: unexpected answer on connection %d: opcode %d, %zu bytes: %.*s\n", c->fd, opcode,
                body, (int)(body < 200 ? body : 200), c->in + header);
        return -1;
    }
    c->in_length = 0;
    if (now >= measure_from && now < stop_at) {
        histogram[round_trip / 1000 < MAX_BUCKET ? round_trip / 1000 : MAX_BUCKET]++;
        measured_count++;
        if (round_trip > max_round_trip_ns) max_round_trip_ns = round_trip;
    }
    return now < stop_at ? start_message(epoll_fd, c) : 0;
}

static uint64_t percentile_us(double fraction) {
    if (measured_count == 0) return 0;
    uint64_t rank = (uint64_t)(fraction * (double)measured_count), seen = 0;
    for (uint64_t us = 0; us <= MAX_BUCKET; us++)
        if ((seen += histogram[us]) > rank) return us;
    return MAX_BUCKET;
}

int main(int argc, char **argv) {
    int count = 64, watched_pid = 0, option;
    double warmup = 2, duration = 10;
    const char *host_header = NULL;
    while ((option = getopt(argc, argv, "c:w:d:m:e:H:p:")) != -1) {
        switch (option) {
        case 'c': count = atoi(optarg); break;
        case 'w': warmup = atof(optarg); break;
        case 'd': duration = atof(optarg); break;
        case 'm': message = optarg; break;
        case 'e': answer = optarg; break;
        case 'H': host_header = optarg; break;
        case 'p': watched_pid = atoi(optarg); break;
        default: return 2;
        }
    }
    char host[256], port[16], path[1024] = "/";
    if (optind != argc - 1 || count <= 0 || duration <= 0 || warmup < 0 || strlen(message) > 256 ||
        sscanf(argv[optind], "ws://%255[^:/]:%15[0-9]%1023s", host, port, path) < 2) {
        fprintf(stderr, "usage: wsload [-c CONNECTIONS] [-w WARMUP_S] [-d DURATION_S] [-m MESSAGE (<= 256 bytes)] "
                        "[-e ANSWER] [-H HOST_HEADER] [-p PID] ws://HOST:PORT/PATH\n");
        return 2;
    }
    message_length = strlen(message), answer_length = strlen(answer);
    signal(SIGPIPE, SIG_IGN); // a write to a connection the server closed is an error to count, not a reason to die
    char default_host_header[300];
    snprintf(default_host_header, sizeof default_host_header, "%s:%s", host, port);
    if (!host_header) host_header = default_host_header;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *address;
    if (getaddrinfo(host, port, &hints, &address) != 0) fail("cannot resolve the host");
    if (getrandom(&rng_state, sizeof rng_state, 0) != sizeof rng_state || rng_state == 0) rng_state = 88172645463325252u;

    int epoll_fd = epoll_create1(0);
    struct connection **connections = calloc((size_t)count, sizeof *connections);
    for (int i = 0; i < count; i++) {
        struct connection *c = connections[i] = calloc(1, sizeof *c);
        if (!c) fail("out of memory");
        c->fd = open_websocket(address, host_header, path);
        if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) != 0) fail("fcntl failed");
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c->fd, &event) != 0) fail("epoll_ctl failed");
    }

    uint64_t started = now_ns(), measure_from = started + (uint64_t)(warmup * 1e9);
    uint64_t stop_at = measure_from + (uint64_t)(duration * 1e9);
    for (int i = 0; i < count; i++)
        if (start_message(epoll_fd, connections[i]) != 0) fail("the first write failed");
    double self_cpu = 0, watched_cpu = 0;
    int measuring = 0;
    struct epoll_event events[256];
    for (;;) {
        uint64_t now = now_ns();
        if (!measuring && now >= measure_from) { // CPU clocks are read when the measured window opens and closes
            measuring = 1, self_cpu = cpu_seconds_self();
            if (watched_pid) watched_cpu = cpu_seconds_of(watched_pid);
        }
        if (now >= stop_at) break;
        int ready = epoll_wait(epoll_fd, events, 256, 50);
        for (int i = 0; i < ready; i++) {
            struct connection *c = events[i].data.ptr;
            int broken = (events[i].events & EPOLLOUT) && send_rest(epoll_fd, c) != 0;
            if (broken || ((events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && on_readable(epoll_fd, c, measure_from, stop_at) != 0)) {
                errors++;
                epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, NULL); // a broken connection leaves the loop; the rest go on
                close(c->fd);
                c->fd = -1;
            }
        }
    }
    self_cpu = cpu_seconds_self() - self_cpu;
    double watched = watched_pid ? cpu_seconds_of(watched_pid) - watched_cpu : 0;
    // Say goodbye with a close frame (1000, masked with a zero key) so the server sees normal closures, not resets
    // (best effort: a connection still waiting for an answer may drop it).
    static const unsigned char close_frame[] = {0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8};
    for (int i = 0; i < count; i++)
        if (connections[i]->fd >= 0 && write(connections[i]->fd, close_frame, sizeof close_frame) >= 0)
            shutdown(connections[i]->fd, SHUT_WR);
    printf("wsload: %d connections, %.1f s measured after %.1f s warm-up: %llu messages, %.0f messages/s, "
           "round trip p50 %llu us, p99 %llu us, max %llu us; CPU over the measured window: wsload %.2f s (%.1f us/message)",
           count, duration, warmup, (unsigned long long)measured_count, measured_count / duration,
           (unsigned long long)percentile_us(0.5), (unsigned long long)percentile_us(0.99),
           (unsigned long long)(max_round_trip_ns / 1000), self_cpu, self_cpu * 1e6 / (measured_count ? measured_count : 1));
    if (watched_pid)
        printf(", pid %d %.2f s (%.1f us/message)", watched_pid, watched, watched * 1e6 / (measured_count ? measured_count : 1));
    printf("; protocol errors %llu\n", (unsigned long long)errors);
    return errors || measured_count == 0 ? 1 : 0;
}
