/*
 * proc.h — run a program to completion with its output in files and a
 * time limit (fork/exec, no shell), for the conformance runner.
 */
#ifndef CITYKG_TESTS_PROC_H
#define CITYKG_TESTS_PROC_H

typedef struct {
    int exit_code;   /* valid when neither signal nor timed_out */
    int signal;      /* signal that ended the process, 0 if none */
    int timed_out;   /* killed after the time limit */
    int exec_failed; /* the program could not be started (exit 127) */
} proc_status;

/* Call once before proc_run: blocks SIGCHLD so that proc_run can wait for
 * its child with a timeout. */
int proc_init(void);

/* Run ARGV (argv[0] is a path) with stdin from /dev/null, stdout into
 * OUT_PATH and stderr into ERR_PATH (created or truncated). Kills the child
 * after TIMEOUT_S seconds. Returns 0 if the child ran, -1 if it could not
 * be forked. */
int proc_run(char *const argv[], const char *out_path, const char *err_path,
             unsigned timeout_s, proc_status *st);

/* One-line description of ST ("exit 1", "killed by signal 11", ...). */
const char *proc_describe(const proc_status *st, char *buf, int len);

/* Did the process exit normally with status 0? */
int proc_ok(const proc_status *st);

#endif
