/* dg_manifest.h: the manifest of a run: what a program read and wrote and
 * how it was called, so that an auditor can run it again (dg-settle
 * verify) and compare, and a restatement can say which input changed.
 * Every program that keeps a record of its runs writes this format.
 *
 * A CSV file with the header item,name,value,sha256,bytes and the rows
 *   format,dg-manifest,1             the format and its version
 *   program,NAME,VERSION             the program and its version
 *   tz,zone,ZONE                     the zone of local times
 *   dir,run,DIR                      the directory the program ran in,
 *                                    relative to the manifest's own
 *                                    (".": the same); relative paths of
 *                                    the args and files are relative to it
 *   arg,N,VALUE                      every argument, N from 1, in order
 *   input,ROLE,PATH,SHA256,BYTES     every input file ("-": standard
 *                                    input, hashed from a spooled copy)
 *   output,ROLE,PATH,SHA256,BYTES    every output file
 * in that order.  ROLE names what the file is to the program (input,
 * programs, rt-prices, output, ...).  A manifest written before the format
 * row had ROLE,PATH,,SHA256,BYTES rows (output for the output); the
 * reader takes those too.
 *
 * Writing: dg_manifest_init, the args, each file as it is opened (an
 * output with the temporary file that holds its bytes until the commit),
 * then dg_manifest_write on the manifest's own (uncommitted) output, and
 * every output committed together (dg_out_commit_all): a run that fails
 * leaves neither outputs nor manifest. */
#ifndef DG_MANIFEST_H
#define DG_MANIFEST_H

#include <stddef.h>
#include <stdio.h>

#include "dg_csv.h"
#include "dg_status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DG_MANIFEST_FORMAT 1
#define DG_MANIFEST_HEX 65	/* SHA-256: 64 hex digits and a NUL */

struct dg_manifest_file {
	char *role, *path;
	char sha256[DG_MANIFEST_HEX];	/* "" when not known */
	long long bytes;
	char *from;		/* writing: where the bytes are now (NULL:
				 * path) */
	long line;		/* reading: the manifest's line */
};

struct dg_manifest {
	int format;		/* 0: a manifest from before the format row */
	char *program, *version, *tz, *dir;
	char **args;
	size_t nargs, capargs;
	struct dg_manifest_file *in, *out;
	size_t nin, capin, nout, capout;
	FILE *spool;		/* standard input, spooled to be hashed */
	char *file;		/* reading: the manifest's path */
};

/* A manifest of program at version (dg_version()), in the current zone. */
int dg_manifest_init(struct dg_manifest *m, const char *program,
    const char *version);
void dg_manifest_release(struct dg_manifest *m);
/* The arguments argv[1..argc). */
int dg_manifest_args(struct dg_manifest *m, int argc, char *const *argv);
/* An input (path NULL: nothing recorded).  DG_ENOMEM. */
int dg_manifest_input(struct dg_manifest *m, const char *role,
    const char *path);
/* An output named path, whose bytes are now in from (its temporary file
 * before the commit; NULL: path itself). */
int dg_manifest_output(struct dg_manifest *m, const char *role,
    const char *path, const char *from);
/* Standard input, spooled to a temporary file for its hash: *fp is the
 * stream to read instead of stdin (rewound; the manifest keeps it). */
int dg_manifest_stdin(struct dg_manifest *m, FILE **fp,
    struct dg_error *err);
/* Hashes every file and writes the manifest to fp; path is where the
 * manifest will be (for the dir row).  DG_ENOINPUT or DG_EIO naming a
 * file that cannot be read. */
int dg_manifest_write(struct dg_manifest *m, FILE *fp, const char *path,
    struct dg_error *err);

/* Reads a manifest (either format).  Errors name the file and line. */
int dg_manifest_read(struct dg_manifest *m, const char *path,
    const struct dg_csv_opts *o, struct dg_error *err);
/* The directory the run's relative paths are relative to: the manifest's
 * directory joined with its dir row.  DG_ERANGE when it does not fit. */
int dg_manifest_base(const struct dg_manifest *m, const char *path,
    char *buf, size_t n);
/* path as the run saw it, from here: base/path when path is relative. */
int dg_manifest_resolve(const char *base, const char *path, char *buf,
    size_t n);
/* The first input (in manifest order) whose file under base now has
 * another hash, or cannot be read: its index in *bad (with its present
 * hash in hex, "" when unreadable), or DG_EOF when every input is as
 * recorded.  Standard input cannot be checked: DG_EDATA. */
int dg_manifest_check_inputs(const struct dg_manifest *m, const char *base,
    size_t *bad, char hex[DG_MANIFEST_HEX], long long *bytes,
    struct dg_error *err);
/* The input of old with role and path, or NULL. */
const struct dg_manifest_file *dg_manifest_find_input(
    const struct dg_manifest *m, const char *role, const char *path);

/* What differs between two sets of runs (the manifests of a month's old
 * and new run): the inputs (by role and path) whose hashes differ, and
 * those only one side has; an input that is an output of a run of the
 * same side is left out (it follows from the others).  Each once, in the
 * order of the new side, then the old inputs the new side lacks. */
struct dg_manifest_change {
	const char *role, *path;
	const char *old_sha256, *new_sha256;	/* NULL: not on that side */
};
int dg_manifest_changes(const struct dg_manifest *old, size_t nold,
    const struct dg_manifest *new_, size_t nnew,
    struct dg_manifest_change **changes, size_t *n);

/* The SHA-256 of a file as 64 hex digits and its size: DG_ENOINPUT when it
 * cannot be opened, DG_EIO on a read error. */
int dg_manifest_hash(const char *path, char hex[DG_MANIFEST_HEX],
    long long *bytes);
/* The first line where files a and b differ: DG_OK when they are the
 * same, else DG_EOF with *line (from 1) and the two lines (without their
 * line end; "" past the end of a file) cut to fit la and lb. */
int dg_manifest_first_diff(const char *a, const char *b, long *line,
    char *la, size_t na, char *lb, size_t nb, struct dg_error *err);

#ifdef __cplusplus
}
#endif
#endif
