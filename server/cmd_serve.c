/*
 * cmd_serve.c — `citykg serve`: opens the store, starts the HTTP server
 * (http_server.h) and runs until SIGTERM or SIGINT, then drains in-flight
 * requests, closes the store cleanly and exits 0.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "http_config.h"
#include "http_server.h"

static void usage(void)
{
    printf("usage: citykg serve [--data DIR] [--port PORT] [--bind ADDRESS] [--config FILE]\n\n"
           "Serves the store over HTTP: the SPARQL 1.1 Protocol at /sparql, the Graph Store\n"
           "Protocol at /data, /health and Prometheus /metrics. Listens on 127.0.0.1:8080\n"
           "unless told otherwise (--port 0: any free port; the address is logged at\n"
           "start). --config names a JSON file with limits, CORS origins, time limits and\n"
           "allow-lists (docs/operations.md); --port and --bind win over it. The store is\n"
           "created when DIR holds none. SIGTERM or SIGINT: stop accepting, let requests\n"
           "finish within the grace period, cancel the rest, close the store, exit 0.\n"
           "One JSON line per request goes to stderr.\n");
}

/* The value of --name VALUE or --name=VALUE at argv[*i], or NULL. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] == 0 && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        usage();
        return 0;
    }
    const char *data = getenv("CITYKG_DATA") ? getenv("CITYKG_DATA") : CITYKG_DEFAULT_DATA_DIR;
    const char *port = NULL, *bind = NULL, *config_file = NULL, *v;
    for (int i = 1; i < argc; i++) {
        if ((v = option_value(argc, argv, &i, "--data")))
            data = v;
        else if ((v = option_value(argc, argv, &i, "--port")))
            port = v;
        else if ((v = option_value(argc, argv, &i, "--bind")))
            bind = v;
        else if ((v = option_value(argc, argv, &i, "--config")))
            config_file = v;
        else
            return cli_fail("unknown or incomplete option '%s' for serve (see --help)", argv[i]);
    }
    serve_config config;
    serve_config_defaults(&config);
    ck_error err = {0};
    if (config_file && serve_config_load(config_file, &config, &err) != CK_OK) {
        serve_config_free(&config);
        return cli_fail("bad config file: %s", err.message);
    }
    if (port) {
        char *end;
        long p = strtol(port, &end, 10);
        if (*end || p < 0 || p > 65535) {
            serve_config_free(&config);
            return cli_fail("--port needs a number from 0 to 65535, not '%s'", port);
        }
        config.port = (unsigned)p;
    }
    if (bind) {
        free(config.bind);
        config.bind = strdup(bind);
    }
    /* the signals are taken by sigwait below: every thread started from
     * here on (the server's) inherits the blocked mask */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    ck_store *store;
    if (cli_open_store(data, CK_OPEN_CREATE, &store, &err) != CK_OK) {
        serve_config_free(&config);
        return cli_fail_error(&err);
    }
    http_server *server;
    if (http_server_start(store, &config, &server, &err) != CK_OK) {
        ck_store_close(store);
        serve_config_free(&config);
        return cli_fail_error(&err);
    }
    fprintf(stderr, "{\"server\":\"listening\",\"url\":\"http://%s%s%s:%u\",\"data\":\"%s\"}\n",
            strchr(config.bind, ':') ? "[" : "", config.bind, strchr(config.bind, ':') ? "]" : "",
            http_server_port(server), ck_store_path(store));
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "{\"server\":\"stopping\",\"signal\":\"%s\",\"grace_ms\":%llu}\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM", (unsigned long long)config.shutdown_grace_ms);
    http_server_drain(server, config.shutdown_grace_ms);
    http_server_free(server);
    ck_store_close(store);
    serve_config_free(&config);
    fprintf(stderr, "{\"server\":\"stopped\"}\n");
    return 0;
}
