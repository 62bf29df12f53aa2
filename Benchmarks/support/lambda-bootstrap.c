/* A `provided` runtime bootstrap for the Lambda benchmark (Benchmarks/lambda): speaks the Lambda
 * Runtime API (AWS_FACTS L1) over one keep-alive connection and answers every event with a fixed
 * HTTP API proxy response, so that what is measured is Portico's side of an invocation. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static int fd = -1;
static char host[64];
static int port;

static void open_connection(void) {
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    inet_pton(AF_INET, host, &address.sin_addr);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) { perror("connect"); exit(1); }
}

static void send_all(const char *data, size_t length) {
    while (length > 0) {
        ssize_t sent = send(fd, data, length, MSG_NOSIGNAL);
        if (sent <= 0) { perror("send"); exit(1); }
        data += sent;
        length -= (size_t)sent;
    }
}

/* Reads one response; copies the request id header (if any) into `request_id`. */
static void read_response(char *request_id) {
    static char buffer[1 << 20];
    size_t used = 0;
    char *end = NULL;
    while (!(end = memmem(buffer, used, "\r\n\r\n", 4))) {
        ssize_t got = recv(fd, buffer + used, sizeof buffer - used, 0);
        if (got <= 0) { exit(0); }
        used += (size_t)got;
    }
    size_t head = (size_t)(end - buffer) + 4;
    long length = 0;
    for (char *line = buffer; line < end; line = strstr(line, "\r\n") + 2) {
        if (strncasecmp(line, "content-length:", 15) == 0) length = strtol(line + 15, NULL, 10);
        if (request_id && strncasecmp(line, "lambda-runtime-aws-request-id:", 30) == 0) {
            char *value = line + 30;
            while (*value == ' ') value++;
            size_t n = strcspn(value, "\r");
            memcpy(request_id, value, n);
            request_id[n] = 0;
        }
    }
    while (used < head + (size_t)length) {
        ssize_t got = recv(fd, buffer + used, sizeof buffer - used, 0);
        if (got <= 0) { exit(0); }
        used += (size_t)got;
    }
}

int main(void) {
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    if (!api) { fprintf(stderr, "AWS_LAMBDA_RUNTIME_API is not set\n"); return 1; }
    sscanf(api, "%63[^:]:%d", host, &port);
    open_connection();
    const char *body = "{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":\"{\\\"ok\\\":true}\"}";
    char request[512], request_id[128];
    for (;;) {
        static const char next[] = "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: runtime\r\n\r\n";
        send_all(next, sizeof next - 1);
        request_id[0] = 0;
        read_response(request_id);
        int n = snprintf(request, sizeof request,
            "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: runtime\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
            request_id, strlen(body), body);
        send_all(request, (size_t)n);
        read_response(NULL);
    }
}
