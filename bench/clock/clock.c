/*
 * clock: runs the program it was built for (TARGET) with its own arguments and appends "<start ns> <end ns> <user us>
 * <system us> <own us>" (wall clock, the CPU time of the program and its children, and this wrapper's own CPU time) to
 * the file CLOCK. The vetting benchmark puts it in Trivy's place to clock the Trivy run inside an imagegate
 * scan. Written in C so that its own start-up is a fraction of a millisecond (a shell script with two `date` processes
 * cost about 4 ms, a Go program about 2 ms); what it does cost is reported, so the benchmark need not count it as
 * imagegate's.
 *
 *   cc -O2 -DTARGET='"/path/to/trivy"' -DCLOCK='"/path/to/times"' -o trivy-clocked clock.c
 */
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long) t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
    (void) argc;
    argv[0] = TARGET;
    pid_t pid;
    long long start = now_ns();
    if (posix_spawn(&pid, TARGET, NULL, NULL, argv, environ) != 0) {
        perror("clock: " TARGET);
        return 127;
    }
    int status = 0;
    struct rusage usage = {0};
    while (wait4(pid, &status, 0, &usage) < 0) {
    }
    long long end = now_ns();
    FILE *f = fopen(CLOCK, "a");
    if (f != NULL) {
        struct rusage self = {0};
        getrusage(RUSAGE_SELF, &self);  /* before the write: what clocking cost, not the bookkeeping after it */
        fprintf(f, "%lld %lld %lld %lld %lld\n", start, end,
                (long long) usage.ru_utime.tv_sec * 1000000LL + usage.ru_utime.tv_usec,
                (long long) usage.ru_stime.tv_sec * 1000000LL + usage.ru_stime.tv_usec,
                (long long) (self.ru_utime.tv_sec + self.ru_stime.tv_sec) * 1000000LL + self.ru_utime.tv_usec
                        + self.ru_stime.tv_usec);
        fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
