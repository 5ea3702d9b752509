/* System-call and MMU-heavy guest benchmark.
 *   spawn exec N PROG   fork+exec PROG N times, waiting for each
 *   spawn pipe N        N round trips of one byte between two processes
 *                       over a pair of pipes (context switches) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int exec_loop(int n, char *prog)
{
    for (int i = 0; i < n; i++) {
        pid_t p = fork();
        if (p < 0)
            return perror("fork"), 1;
        if (p == 0) {
            execl(prog, prog, (char *)NULL);
            _exit(127);
        }
        int st;
        if (waitpid(p, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
            return fprintf(stderr, "spawn: child %d failed\n", i), 1;
    }
    printf("spawn: %d fork+exec done\n", n);
    return 0;
}

static int pipe_loop(int n)
{
    int ab[2], ba[2];
    char c = 'x';
    if (pipe(ab) || pipe(ba))
        return perror("pipe"), 1;
    pid_t p = fork();
    if (p == 0) {
        for (int i = 0; i < n; i++)
            if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
                _exit(1);
        _exit(0);
    }
    for (int i = 0; i < n; i++)
        if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
            return fprintf(stderr, "spawn: pipe round trip %d failed\n", i), 1;
    int st;
    waitpid(p, &st, 0);
    printf("spawn: %d pipe round trips done\n", n);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "exec"))
        return exec_loop(atoi(argv[2]), argv[3]);
    if (argc >= 3 && !strcmp(argv[1], "pipe"))
        return pipe_loop(atoi(argv[2]));
    fprintf(stderr, "usage: spawn exec N PROG | spawn pipe N\n");
    return 2;
}
