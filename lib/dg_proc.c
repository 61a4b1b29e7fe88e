/* dg_proc.c: a helper program run on pipes (dg_proc.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dg_proc.h"
#include "dg_util.h"

#define ERRKEEP 1024

struct buf {
	char *p;
	size_t n, cap;
};

struct child {
	pid_t pid;
	int in, out, err;	/* our ends */
	int exec_errno;		/* the errno of a failed exec, or 0 */
};

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* In the child: the pipes on 0, 1, 2, then exec; a failure writes errno
 * on the status pipe (closed on a successful exec). */
static void
child_exec(char *const *argv, int p[4][2])
{
	int e;

	if (dup2(p[0][0], 0) < 0 || dup2(p[1][1], 1) < 0 ||
	    dup2(p[2][1], 2) < 0)
		_exit(127);
	for (int i = 0; i < 3; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	e = errno;
	if (write(p[3][1], &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static int
start(struct child *ch, char *const *argv)
{
	int p[4][2], n = 0, e = 0;
	ssize_t r;

	for (; n < 4; n++)
		if (pipe2(p[n], O_CLOEXEC) < 0)
			break;
	if (n < 4 || (ch->pid = fork()) < 0) {
		for (int i = 0; i < n; i++) {
			close(p[i][0]);
			close(p[i][1]);
		}
		return DG_EIO;
	}
	if (ch->pid == 0)
		child_exec(argv, p);
	close(p[0][0]);
	close(p[1][1]);
	close(p[2][1]);
	close(p[3][1]);
	ch->in = p[0][1];
	ch->out = p[1][0];
	ch->err = p[2][0];
	while ((r = read(p[3][0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(p[3][0]);
	ch->exec_errno = r == (ssize_t)sizeof(e) ? e : 0;
	fcntl(ch->in, F_SETFL, fcntl(ch->in, F_GETFL) | O_NONBLOCK);
	return DG_OK;
}

/* Reads what fd has into b (err: at most ERRKEEP bytes kept); closes fd
 * at its end.  -1 on an error. */
static int
drain(int *fd, struct buf *b, size_t keep)
{
	char tmp[16384];
	ssize_t r = read(*fd, tmp, sizeof(tmp));

	if (r < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (r == 0) {
		close_fd(fd);
		return 0;
	}
	if (keep > 0 && b->n + (size_t)r > keep)
		r = (ssize_t)(keep > b->n ? keep - b->n : 0);
	if (dg_grow(&b->p, &b->cap, b->n + (size_t)r + 1, 1) != 0)
		return -1;
	memcpy(b->p + b->n, tmp, (size_t)r);
	b->n += (size_t)r;
	b->p[b->n] = '\0';
	return 0;
}

/* Feeds the input and collects both outputs until both are closed. */
static int
pump(struct child *ch, const char *in, size_t len, struct buf *out,
    struct buf *err)
{
	size_t off = 0;

	if (len == 0)
		close_fd(&ch->in);
	while (ch->out >= 0 || ch->err >= 0) {
		struct pollfd pf[3] = {
			{ ch->out, POLLIN, 0 }, { ch->err, POLLIN, 0 },
			{ ch->in, POLLOUT, 0 }
		};
		if (poll(pf, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return DG_EIO;
		}
		if (pf[0].revents && drain(&ch->out, out, 0) < 0)
			return DG_ENOMEM;
		if (pf[1].revents && drain(&ch->err, err, ERRKEEP) < 0)
			return DG_ENOMEM;
		if (pf[2].revents) {
			ssize_t w = write(ch->in, in + off, len - off);

			if (w < 0 && errno != EINTR && errno != EAGAIN)
				close_fd(&ch->in);	/* it stopped reading */
			else if (w > 0 && (off += (size_t)w) == len)
				close_fd(&ch->in);
		}
	}
	close_fd(&ch->in);
	return DG_OK;
}

/* The first line of what the program said that is not a warning (else
 * the first), for the message. */
static const char *
first_line(struct buf *b)
{
	char *line = b->p, *pick = NULL, *nl;

	for (; line != NULL && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0')
			continue;
		if (pick == NULL || (strstr(pick, "warning") != NULL &&
		    strstr(line, "warning") == NULL))
			pick = line;
	}
	return pick ? pick : "no message";
}

static int
finish(struct child *ch, const char *what, struct buf *err,
    struct dg_error *e)
{
	int ws;
	char *base = err->p;
	int st = DG_OK;

	while (waitpid(ch->pid, &ws, 0) < 0)
		if (errno != EINTR)
			return dg_error_set(e, DG_EIO, what, 0, NULL,
			    "waitpid: %s", strerror(errno));
	if (WIFEXITED(ws) && WEXITSTATUS(ws) != 0)
		st = dg_error_set(e, DG_EINTERNAL, NULL, 0, NULL,
		    "%s failed (exit %d): %s", what, WEXITSTATUS(ws),
		    first_line(err));
	else if (WIFSIGNALED(ws))
		st = dg_error_set(e, DG_EINTERNAL, NULL, 0, NULL,
		    "%s failed (signal %d): %s", what, WTERMSIG(ws),
		    first_line(err));
	free(base);
	return st;
}

int
dg_proc_run(char *const *argv, const char *what, const char *package,
    const char *in, size_t len, char **out, size_t *outlen,
    struct dg_error *err)
{
	struct child ch = { -1, -1, -1, -1, 0 };
	struct buf ob = { NULL, 0, 0 }, eb = { NULL, 0, 0 };
	int st;

	if (start(&ch, argv) != DG_OK)
		return dg_error_set(err, DG_EIO, NULL, 0, NULL,
		    "%s: cannot start: %s", what, strerror(errno));
	if (ch.exec_errno != 0) {
		close_fd(&ch.in);
		close_fd(&ch.out);
		close_fd(&ch.err);
		waitpid(ch.pid, NULL, 0);
		if (ch.exec_errno == ENOENT)
			return dg_error_set(err, DG_EUNAVAIL, NULL, 0, NULL,
			    "%s not found: install the Debian package %s",
			    what, package);
		return dg_error_set(err, DG_EUNAVAIL, NULL, 0, NULL,
		    "%s cannot be run: %s (Debian package %s)", what,
		    strerror(ch.exec_errno), package);
	}
	st = pump(&ch, in, len, &ob, &eb);
	close_fd(&ch.in);
	close_fd(&ch.out);
	close_fd(&ch.err);
	if (st != DG_OK) {
		kill(ch.pid, SIGTERM);
		waitpid(ch.pid, NULL, 0);
		free(ob.p);
		free(eb.p);
		return dg_error_set(err, st, NULL, 0, NULL, "%s: %s", what,
		    st == DG_ENOMEM ? "out of memory" : strerror(errno));
	}
	if ((st = finish(&ch, what, &eb, err)) != DG_OK || out == NULL) {
		free(ob.p);
		return st;
	}
	*out = ob.p;
	*outlen = ob.n;
	return DG_OK;
}
