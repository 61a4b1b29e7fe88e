/* dg_plot_gp.c: a chart as a gnuplot script, drawn by gnuplot on a pipe
 * (dg_plot.h). */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dg_plot_int.h"
#include "dg_proc.h"

/* Lines told apart without colour: dash type, marker, grey. */
static const struct {
	const char *color;
	int dash, point;
	double width;
} line_style[] = {
	{ "#000000", 1, 7, 2.0 },	/* solid, filled circle */
	{ "#000000", 2, 4, 2.0 },	/* dashed, open square */
	{ "#595959", 3, 8, 2.0 },	/* dotted, filled triangle */
	{ "#000000", 4, 6, 1.5 },	/* dash-dot, open circle */
	{ "#595959", 5, 12, 1.5 },	/* dash-dot-dot, filled diamond */
	{ "#7f7f7f", 1, 10, 1.5 }	/* grey, open triangle down */
};
#define NSTYLE (sizeof(line_style) / sizeof(line_style[0]))

/* s as a gnuplot string in double quotes: \ and " escaped, a line end
 * as \n, other control characters as spaces. */
static void
str(FILE *fp, const char *s)
{
	putc('"', fp);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '\\' || ch == '"')
			fprintf(fp, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", fp);
		else if (ch < 0x20 || ch == 0x7f)
			putc(' ', fp);
		else
			putc(ch, fp);
	}
	putc('"', fp);
}

static int
lines_in(const char *s)
{
	int n = 1;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void
terminal(FILE *fp, const struct dg_plot_opts *o)
{
	if (o->format == DG_PLOT_PNG)
		fprintf(fp, "set terminal pngcairo size %d,%d noenhanced "
		    "font \"sans,10\" background \"#ffffff\"\n", o->width,
		    o->height);
	else
		fprintf(fp, "set terminal svg size %d,%d fixed noenhanced "
		    "font \"sans,11\" background \"#ffffff\"\n", o->width,
		    o->height);
	fputs("set output\n", fp);
}

static void
labels(FILE *fp, const struct dg_chart *c, const struct dg_plot_opts *o)
{
	const char *title = o->title ? o->title : c->title;

	if (title) {
		fputs("set title ", fp);
		str(fp, title);
		putc('\n', fp);
	}
	if (c->xlabel) {
		fputs("set xlabel ", fp);
		str(fp, c->xlabel);
		putc('\n', fp);
	}
	if (c->ylabel) {
		fputs("set ylabel ", fp);
		str(fp, c->ylabel);
		putc('\n', fp);
	}
	if (c->y2label) {
		fputs("set y2label ", fp);
		str(fp, c->y2label);
		fputs("\nset y2tics\nset ytics nomirror\n", fp);
		if (c->y2min != c->y2max)
			fprintf(fp, "set y2range [%g:%g]\n", c->y2min,
			    c->y2max);
	}
}

static void
axes(FILE *fp, const struct dg_chart *c)
{
	int bm = 4;

	if (c->xmin != c->xmax)
		fprintf(fp, "set xrange [%.6f:%.6f]\n", c->xmin, c->xmax);
	if (c->ymin_zero)
		fputs("set yrange [0:*]\n", fp);
	/* room above the data for the labels at the top, or the top line */
	fprintf(fp, "set offsets 0, 0, graph %s, 0\n",
	    c->nspan > 0 || c->nnote > 0 ? "0.3" : "0.05");
	if (c->ntick > 0) {
		int two = 0;

		for (size_t i = 0; i < c->ntick; i++)
			two |= strchr(c->tick[i].label, '\n') != NULL;
		/* gnuplot leaves room for one line of tick labels */
		if (two)
			fputs("set xlabel offset 0, -1\n", fp);
		bm += two;
		fputs("set xtics () nomirror font \",9\"\n", fp);
		for (size_t i = 0; i < c->ntick; i++) {
			fputs("set xtics add (", fp);
			str(fp, c->tick[i].label);
			fprintf(fp, " %.6f%s)\n", c->tick[i].x,
			    c->tick[i].label[0] ? "" : " 1");
		}
	}
	/* the key at the foot, four entries a row, under the x label */
	fprintf(fp, "set bmargin %d\n", bm + (int)(c->ns + 3) / 4);
	fputs("set grid xtics ytics lc rgb \"#c0c0c0\" lw 0.5 dt 3\n"
	    "set key at screen 0.5, screen 0.01 center bottom horizontal "
	    "maxcols 4\nset border 3 lw 1\nset tics out\n", fp);
	if (c->y2label == NULL)
		fputs("set ytics nomirror\n", fp);
}

/* The spans shaded behind the data with their labels at the top, and the
 * notes. */
static void
marks(FILE *fp, const struct dg_chart *c)
{
	int n = 1;

	for (size_t i = 0; i < c->nspan; i++, n++) {
		const struct dg_plot_span *s = &c->span[i];

		fprintf(fp, "set object %d rect from %.6f, graph 0 to %.6f, "
		    "graph 1 behind fillcolor rgb \"#e6e6e6\" fillstyle solid "
		    "1.0 noborder\n", n, s->x0, s->x1);
		fprintf(fp, "set label %d ", n);
		str(fp, s->label);
		/* from the span's edge nearer the middle of the chart */
		if (s->x0 - c->xmin < c->xmax - s->x1)
			fprintf(fp, " at %.6f, graph 0.97 left front offset "
			    "char 0.5, 0\n", s->x0);
		else
			fprintf(fp, " at %.6f, graph 0.97 right front offset "
			    "char -0.5, 0\n", s->x1);
	}
	for (size_t i = 0; i < c->nnote; i++, n++) {
		const struct dg_plot_note *t = &c->note[i];

		fprintf(fp, "set label %d ", n);
		str(fp, t->text);
		if (t->graph)
			fprintf(fp, " at graph %.4f, graph %.4f %s front\n",
			    t->x, t->y, t->x < 0.3 ? "left" :
			    t->x > 0.7 ? "right" : "center");
		else
			fprintf(fp, " at %.6f, %.6f center front offset 0, "
			    "char %.1f\n", t->x, t->y,
			    lines_in(t->text) - 0.2);
	}
}

/* Each series as a data block; a NaN y as a blank line (a gap). */
static void
data(FILE *fp, const struct dg_chart *c)
{
	for (size_t i = 0; i < c->ns; i++) {
		const struct dg_plot_series *s = &c->s[i];

		fprintf(fp, "$s%zu << EOD\n", i + 1);
		for (size_t j = 0; j < s->n; j++) {
			if (isnan(s->y[j]) || !isfinite(s->x[j]))
				fputs("\n", fp);
			else if (s->style == DG_PLOT_BAND)
				fprintf(fp, "%.6f %.6f %.6f\n", s->x[j],
				    s->y[j], s->hi[j]);
			else
				fprintf(fp, "%.6f %.6f\n", s->x[j], s->y[j]);
		}
		fputs("EOD\n", fp);
	}
}

/* Greys of segment lines, told apart by their shade. */
static const char *const seg_grey[] = { "#000000", "#a6a6a6", "#595959",
	"#d0d0d0" };

static void
one(FILE *fp, const struct dg_plot_series *s, size_t i, size_t *nline,
    size_t *nseg)
{
	size_t k = *nline % NSTYLE;

	fprintf(fp, "$s%zu using 1:2", i + 1);
	switch (s->style) {
	case DG_PLOT_BAND:
		fputs(":3 with filledcurves fillcolor rgb \"#d4d4d4\" "
		    "fillstyle solid 1.0 noborder", fp);
		break;
	case DG_PLOT_BARS:
		fprintf(fp, ":(%.3f) with boxes %s", s->width, s->pattern ?
		    "fillstyle pattern 4 border lc rgb \"#000000\" "
		    "lc rgb \"#000000\"" : "fillstyle solid 1.0 border "
		    "lc rgb \"#000000\" lc rgb \"#8c8c8c\"");
		break;
	default:
		if (s->segments) {
			fprintf(fp, " with lines lc rgb \"%s\" dt 1 lw 4",
			    seg_grey[*nseg % 4]);
			++*nseg;
			break;
		}
		fprintf(fp, " with %s lc rgb \"%s\" dt %d lw %.1f",
		    s->mark ? "linespoints" : "lines", line_style[k].color,
		    line_style[k].dash, line_style[k].width);
		if (s->mark)
			fprintf(fp, " pt %d ps 0.9", line_style[k].point);
		++*nline;
	}
	if (s->y2)
		fputs(" axes x1y2", fp);
	fputs(" title ", fp);
	str(fp, s->title);
}

/* Whether series s has a point to draw (gnuplot refuses a plot of none). */
static int
drawable(const struct dg_plot_series *s)
{
	for (size_t j = 0; j < s->n; j++)
		if (!isnan(s->y[j]) && isfinite(s->x[j]))
			return 1;
	return 0;
}

static void
plot(FILE *fp, const struct dg_chart *c)
{
	size_t nline = 0, nseg = 0, n = 0;

	for (size_t i = 0; i < c->ns; i++) {
		if (!drawable(&c->s[i]))
			continue;
		fputs(n++ ? ", \\\n     " : "plot ", fp);
		one(fp, &c->s[i], i, &nline, &nseg);
	}
	if (n == 0)	/* nothing measured: the axes, spans and notes */
		fputs("set yrange [0:1]\nplot NaN notitle", fp);
	fputs("\n", fp);
}

int
dg_plot_script(const struct dg_chart *c, const struct dg_plot_opts *o,
    FILE *fp)
{
	terminal(fp, o);
	labels(fp, c, o);
	axes(fp, c);
	marks(fp, c);
	data(fp, c);
	plot(fp, c);
	return ferror(fp) ? DG_EIO : DG_OK;
}

int
dg_plot_render(const struct dg_chart *c, const struct dg_plot_opts *o,
    FILE *out, struct dg_error *err)
{
	char *script = NULL, *pic = NULL;
	size_t slen = 0, plen = 0;
	char *argv[] = { (char *)(uintptr_t)o->gnuplot, "-d", "-", NULL };
	FILE *fp = open_memstream(&script, &slen);
	int st;

	if (fp == NULL)
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	st = dg_plot_script(c, o, fp);
	if (fclose(fp) != 0 || st != DG_OK) {
		free(script);
		return dg_error_set(err, DG_ENOMEM, NULL, 0, NULL,
		    "out of memory");
	}
	st = dg_proc_run(argv, "gnuplot", "gnuplot-nox", script, slen, &pic,
	    &plen, err);
	free(script);
	if (st == DG_OK && plen == 0)
		st = dg_error_set(err, DG_EINTERNAL, NULL, 0, NULL,
		    "gnuplot drew nothing");
	if (st == DG_OK && fwrite(pic, 1, plen, out) != plen)
		st = dg_error_set(err, errno == EPIPE ? DG_EPIPE : DG_EIO,
		    NULL, 0, NULL, "write error: %s", strerror(errno));
	free(pic);
	return st;
}
