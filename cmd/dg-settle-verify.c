/* dg-settle verify: a run replayed from its manifest, its outputs
 * compared. */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dg-settle.h"

/* A replay of one manifest: its run again in a temporary directory. */
struct replay {
	const char *file;		/* the manifest */
	struct dg_manifest m;
	char base[PATH_MAX];		/* the run's directory, from here */
	char abase[PATH_MAX];		/* the same, absolute */
	char tmp[PATH_MAX];		/* the replay's directory */
	char **argv;			/* the replay's arguments */
	char **outs;			/* where the replay writes output i */
	int nfail;			/* differences said */
};

static void
replay_free(struct replay *rp)
{
	for (size_t i = 0; rp->argv && rp->argv[i]; i++)
		free(rp->argv[i]);
	free(rp->argv);
	for (size_t i = 0; rp->outs && i < rp->m.nout; i++)
		free(rp->outs[i]);
	free(rp->outs);
	if (rp->tmp[0]) {	/* the replay's files, then its directory */
		DIR *d = opendir(rp->tmp);
		struct dirent *e;
		char p[PATH_MAX];

		while (d && (e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") != 0 &&
			    strcmp(e->d_name, "..") != 0 &&
			    (size_t)snprintf(p, sizeof(p), "%s/%s", rp->tmp,
			    e->d_name) < sizeof(p))
				unlink(p);
		if (d)
			closedir(d);
		rmdir(rp->tmp);
	}
	dg_manifest_release(&rp->m);
}

static char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	return p;
}

/* An argument of the run, for the replay: an output goes to the replay's
 * directory, the manifest too, a relative input becomes absolute. */
static char *
replay_arg(struct replay *rp, const char *arg, const char *mreal)
{
	char p[PATH_MAX], real[PATH_MAX], buf[2 * PATH_MAX];
	const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
	const char *v = eq ? eq + 1 : arg;
	int pre = eq ? (int)(eq + 1 - arg) : 0;

	for (size_t i = 0; i < rp->m.nout; i++)
		if (strcmp(v, rp->m.out[i].path) == 0) {
			snprintf(buf, sizeof(buf), "%.*s%s", pre, arg,
			    rp->outs[i]);
			return xstrdup(buf);
		}
	if (dg_manifest_resolve(rp->base, v, p, sizeof(p)) == DG_OK &&
	    realpath(p, real) != NULL && strcmp(real, mreal) == 0) {
		snprintf(buf, sizeof(buf), "%.*s%s/manifest.csv", pre, arg,
		    rp->tmp);
		return xstrdup(buf);
	}
	for (size_t i = 0; i < rp->m.nin; i++)
		if (strcmp(v, rp->m.in[i].path) == 0 && v[0] != '/' &&
		    strcmp(v, "-") != 0) {
			snprintf(buf, sizeof(buf), "%.*s%s/%s", pre, arg,
			    rp->abase, v);
			return xstrdup(buf);
		}
	return xstrdup(arg);
}

/* The program to run: the manifest's, beside this one or on the PATH. */
static void
replay_program(const char *name, char *buf, size_t n)
{
	char self[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (k > 0) {
		self[k] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			if ((size_t)snprintf(buf, n, "%s/%s", self, name) < n &&
			    access(buf, X_OK) == 0)
				return;
		}
	}
	snprintf(buf, n, "%s", name);
}

/* Prepares the replay: its directory, its arguments. */
static int
replay_setup(struct replay *rp, struct dg_error *err)
{
	const char *tmpdir = getenv("TMPDIR");
	char mreal[PATH_MAX];
	size_t k = 0;

	static const char name_chars[] =
	    "abcdefghijklmnopqrstuvwxyz0123456789-";

	if (strncmp(rp->m.program, "dg-", 3) != 0 ||
	    strspn(rp->m.program + 3, name_chars) != strlen(rp->m.program + 3))
		return dg_error_set(err, DG_EDATA, rp->file, 0, "name",
		    "not a dgagg program: \"%s\"", rp->m.program);
	if (realpath(rp->base, rp->abase) == NULL ||
	    realpath(rp->file, mreal) == NULL)
		return dg_error_set(err, DG_ENOINPUT, rp->file, 0, NULL,
		    "the run's directory %s: %s", rp->base, strerror(errno));
	snprintf(rp->tmp, sizeof(rp->tmp), "%s/dg-verify.XXXXXX",
	    tmpdir && tmpdir[0] ? tmpdir : "/tmp");
	if (mkdtemp(rp->tmp) == NULL) {
		rp->tmp[0] = '\0';
		return dg_error_set(err, DG_ECREATE, NULL, 0, NULL,
		    "cannot create a temporary directory: %s", strerror(errno));
	}
	if ((rp->outs = calloc(rp->m.nout + 1, sizeof(*rp->outs))) == NULL ||
	    (rp->argv = calloc(rp->m.nargs + 2, sizeof(*rp->argv))) == NULL)
		dg_cli_die(DG_ENOMEM, "out of memory");
	for (size_t i = 0; i < rp->m.nout; i++) {
		char b[PATH_MAX + 32];
		const char *base = strrchr(rp->m.out[i].path, '/');

		snprintf(b, sizeof(b), "%s/%zu-%s", rp->tmp, i,
		    base ? base + 1 : rp->m.out[i].path);
		rp->outs[i] = xstrdup(b);
	}
	rp->argv[k++] = xstrdup(rp->m.program);
	for (size_t i = 0; i < rp->m.nargs; i++)
		rp->argv[k++] = replay_arg(rp, rp->m.args[i], mreal);
	return DG_OK;
}

/* Runs the replay; its standard error goes to tmp/stderr.  The exit
 * status, or -1 when it could not run. */
static int
replay_run(struct replay *rp)
{
	char prog[PATH_MAX], errf[PATH_MAX + 16];
	int status;
	pid_t pid;

	replay_program(rp->m.program, prog, sizeof(prog));
	snprintf(errf, sizeof(errf), "%s/stderr", rp->tmp);
	fflush(stdout);
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
		    dup2(out, 2) < 0 || chdir(rp->tmp) != 0)
			_exit(127);
		execvp(prog, rp->argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Says a difference: "MANIFEST: ..." on standard output. */
static void
differ(struct replay *rp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
differ(struct replay *rp, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", rp->file);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	rp->nfail++;
}

/* The first input that changed since the run, if any. */
static int
replay_inputs(struct replay *rp, struct dg_error *err)
{
	char hex[DG_MANIFEST_HEX];
	long long bytes;
	size_t bad;
	int st = dg_manifest_check_inputs(&rp->m, rp->base, &bad, hex, &bytes,
	    err);
	const struct dg_manifest_file *f = &rp->m.in[st == DG_EOF ? bad : 0];

	if (st == DG_EOF && hex[0] == '\0')
		differ(rp, "input %s (%s) is gone (line %ld: sha256 %.12s..., %lld bytes)",
		    f->path, f->role, f->line, f->sha256, f->bytes);
	else if (st == DG_EOF)
		differ(rp, "input %s (%s) changed: sha256 %.12s... (%lld bytes) at the run, %.12s... (%lld bytes) now",
		    f->path, f->role, f->sha256, f->bytes, hex, bytes);
	return st == DG_EOF ? DG_OK : st;
}

/* Each output of the replay against the run's. */
static int
replay_outputs(struct replay *rp, struct dg_error *err)
{
	for (size_t i = 0; i < rp->m.nout; i++) {
		const struct dg_manifest_file *f = &rp->m.out[i];
		char hex[DG_MANIFEST_HEX], kept[PATH_MAX], la[200], lb[200];
		long long bytes;
		long line;
		int st;

		int have;

		dg_manifest_resolve(rp->base, f->path, kept, sizeof(kept));
		have = dg_manifest_hash(kept, hex, &bytes) == DG_OK;
		if (have && strcmp(hex, f->sha256) != 0) {
			differ(rp, "output %s (%s) was changed after the run: sha256 %.12s... (%lld bytes) at the run, %.12s... (%lld bytes) now",
			    f->path, f->role, f->sha256, f->bytes, hex, bytes);
			continue;
		}
		if (dg_manifest_hash(rp->outs[i], hex, &bytes) != DG_OK) {
			differ(rp, "output %s (%s): the re-run wrote none",
			    f->path, f->role);
			continue;
		}
		if (strcmp(hex, f->sha256) == 0)
			continue;
		if (!have) {
			differ(rp, "output %s (%s) differs from the run's (sha256 %.12s...), which is not here to compare",
			    f->path, f->role, f->sha256);
			continue;
		}
		if ((st = dg_manifest_first_diff(kept, rp->outs[i], &line, la,
		    sizeof(la), lb, sizeof(lb), err)) == DG_EOF)
			differ(rp, "output %s (%s), line %ld differs:\n  run:     %s\n  re-run:  %s",
			    f->path, f->role, line, la, lb);
		else if (st != DG_OK)
			return st;
	}
	return DG_OK;
}

/* Verifies one manifest: 0 identical, 1 different, or an exit status. */
static int
verify_one(const struct opts *o, const char *file)
{
	struct replay rp;
	struct dg_error err;
	int st, rc;

	memset(&rp, 0, sizeof(rp));
	rp.file = file;
	dg_error_clear(&err);
	if ((st = dg_manifest_read(&rp.m, file, &o->cli.aux, &err)) != DG_OK)
		goto fail;
	if (dg_manifest_base(&rp.m, file, rp.base, sizeof(rp.base)) != DG_OK) {
		st = dg_error_set(&err, DG_ERANGE, file, 0, NULL,
		    "path too long");
		goto fail;
	}
	if ((st = replay_inputs(&rp, &err)) != DG_OK)
		goto fail;
	if (rp.nfail == 0 && (st = replay_setup(&rp, &err)) != DG_OK)
		goto fail;
	if (rp.nfail == 0 && (rc = replay_run(&rp)) != 0)
		differ(&rp, "the re-run of %s failed (exit status %d)%s",
		    rp.m.program, rc,
		    rc == 127 ? ": the program cannot be run" : "");
	if (rp.nfail == 0 && (st = replay_outputs(&rp, &err)) != DG_OK)
		goto fail;
	if (rp.nfail == 0)
		printf("%s: identical (%s %s: %zu input%s, %zu output%s)\n",
		    file, rp.m.program, rp.m.version, rp.m.nin,
		    rp.m.nin == 1 ? "" : "s", rp.m.nout,
		    rp.m.nout == 1 ? "" : "s");
	rc = rp.nfail ? 1 : 0;
	replay_free(&rp);
	return rc;
fail:
	replay_free(&rp);
	return dg_cli_report(&err);
}

int
cmd_verify(struct opts *o)
{
	int worst = 0;

	if (o->nargs == 0) {
		dg_cli_warn("verify: at least one MANIFEST");
		usage(stderr, DG_EX_USAGE);
	}
	for (int i = 0; i < o->nargs; i++) {
		int rc = verify_one(o, o->args[i]);

		if (rc > worst)
			worst = rc;
	}
	if (fflush(stdout) != 0)
		return DG_EX_IOERR;
	return worst;
}
