/*
 * proc.c — fork/exec with redirected output and a timeout (see proc.h).
 * The parent waits with sigtimedwait() on SIGCHLD, which proc_init()
 * blocks; the child gets the original signal mask back before exec.
 */
#define _GNU_SOURCE
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static sigset_t saved_mask;

int proc_init(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    return sigprocmask(SIG_BLOCK, &set, &saved_mask);
}

static void child(char *const argv[], const char *out_path,
                  const char *err_path)
{
    int in = open("/dev/null", O_RDONLY);
    int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 ||
        dup2(out, 1) < 0 || dup2(err, 2) < 0)
        _exit(127);
    close(in);
    close(out);
    close(err);
    sigprocmask(SIG_SETMASK, &saved_mask, NULL);
    execv(argv[0], argv);
    dprintf(2, "cannot execute %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait for PID until DEADLINE; returns 1 with *STATUS set, 0 on timeout. */
static int wait_until(pid_t pid, double deadline, int *status)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid)
            return 1;
        if (r < 0 && errno != EINTR)
            return 1; /* nothing left to wait for */
        double left = deadline - now();
        if (left <= 0)
            return 0;
        struct timespec ts = {(time_t)left,
                              (long)((left - (double)(time_t)left) * 1e9)};
        sigtimedwait(&set, NULL, &ts);
    }
}

int proc_run(char *const argv[], const char *out_path, const char *err_path,
             unsigned timeout_s, proc_status *st)
{
    memset(st, 0, sizeof *st);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        child(argv, out_path, err_path);
    int status = 0;
    if (!wait_until(pid, now() + timeout_s, &status)) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        st->timed_out = 1;
    }
    if (WIFSIGNALED(status))
        st->signal = WTERMSIG(status);
    else if (WIFEXITED(status))
        st->exit_code = WEXITSTATUS(status);
    st->exec_failed = !st->signal && st->exit_code == 127;
    return 0;
}

const char *proc_describe(const proc_status *st, char *buf, int len)
{
    if (st->timed_out)
        snprintf(buf, (size_t)len, "timed out (killed)");
    else if (st->signal)
        snprintf(buf, (size_t)len, "killed by signal %d (%s)", st->signal,
                 strsignal(st->signal));
    else
        snprintf(buf, (size_t)len, "exit %d", st->exit_code);
    return buf;
}

int proc_ok(const proc_status *st)
{
    return !st->timed_out && !st->signal && st->exit_code == 0;
}
