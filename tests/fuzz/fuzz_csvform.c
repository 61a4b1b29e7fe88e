/* fuzz_csvform: the reader's file forms against the plain text.  The
 * input's text is read as it is and once more wrapped in the form its
 * second byte names: gzip, UTF-16LE with a byte order mark, UTF-16BE
 * without one, a zip archive of one member (lossless: the same header,
 * rows, fields, lines and messages as the plain text), gzip cut short, a
 * byte of a zip or gzip changed, or the bytes as they are behind a zip or
 * gzip header (no crash, leak or hang). */
#include "fuzz.h"

#include <iconv.h>
#include <zip.h>
#define ZLIB_CONST	/* next_in is const */
#include <zlib.h>

enum { F_GZIP, F_UTF16LE, F_UTF16BE, F_ZIP, F_GZIP_CUT, F_RAW_ZIP, F_RAW_GZ,
	F_ZIP_FLIP, F_GZIP_FLIP, F_N };

static unsigned char *
gzip(const uint8_t *data, size_t size, size_t *n)
{
	z_stream z;
	uLong cap = compressBound(size) + 64;
	unsigned char *out = malloc(cap);

	memset(&z, 0, sizeof(z));
	if (out == NULL || deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = data;
	z.avail_in = (uInt)size;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*n = z.total_out;
	deflateEnd(&z);
	return out;
}

/* UTF-8 to UTF-16 (with a byte order mark first), or NULL when data is
 * not UTF-8. */
static unsigned char *
utf16(const uint8_t *data, size_t size, const char *enc, int bom, size_t *n)
{
	iconv_t cd = iconv_open(enc, "UTF-8");
	size_t cap = 4 * size + 4, left = cap - 2;
	char *in0 = fuzz_str(data, size), *in = in0;	/* iconv's input */
	char *out0 = malloc(cap), *out = out0 + 2;
	size_t inleft = size;

	if (cd == (iconv_t)-1 || out0 == NULL)
		abort();
	out0[0] = (char)0xFF;
	out0[1] = (char)0xFE;
	if (iconv(cd, &in, &inleft, &out, &left) == (size_t)-1) {
		iconv_close(cd);
		free(in0);
		free(out0);
		return NULL;
	}
	iconv_close(cd);
	free(in0);
	*n = (size_t)(out - out0);
	if (!bom) {
		memmove(out0, out0 + 2, *n - 2);
		*n -= 2;
	}
	return (unsigned char *)out0;
}

static unsigned char *
zipped(const uint8_t *data, size_t size, size_t *n)
{
	zip_error_t ze;
	zip_source_t *src, *fs;
	zip_t *za;
	unsigned char *out;
	zip_int64_t len;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL)
		abort();
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL ||
	    (fs = zip_source_buffer(za, data, size, 0)) == NULL ||
	    zip_file_add(za, "m.csv", fs, 0) < 0 || zip_close(za) != 0)
		abort();
	if (zip_source_open(src) != 0 ||
	    zip_source_seek(src, 0, SEEK_END) != 0 ||
	    (len = zip_source_tell(src)) < 0 ||
	    zip_source_seek(src, 0, SEEK_SET) != 0 ||
	    (out = malloc((size_t)len + 1)) == NULL ||
	    zip_source_read(src, out, (zip_uint64_t)len) != len)
		abort();
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*n = (size_t)len;
	return out;
}

/* Whether the plain text starts like a form of its own (then the two
 * readings differ by design). */
static int
looks_wrapped(const uint8_t *d, size_t n)
{
	/* (a UTF-16 text that starts with U+0000 starts as UTF-32 does) */
	return (n >= 1 && (d[0] == 0 || d[0] >= 0x80 || d[0] == 0x28)) ||
	    (n >= 2 && (d[1] == 0 || (d[0] == 'P' && d[1] == 'K') ||
	    (d[0] == 0x1F && d[1] == 0x8B) || (d[0] == 'B' && d[1] == 'Z') ||
	    (d[0] == '%' && d[1] == 'P') || (d[0] == '7' && d[1] == 'z')));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_csv_opts o;
	unsigned char *w = NULL;
	size_t n = 0;
	int form, same = 1;

	fuzz_tz();
	fuzz_opts(&data, &size, &o);
	if (size == 0)
		return 0;
	form = data[0] % F_N;
	data++;
	size--;
	switch (form) {
	case F_GZIP:
	case F_GZIP_CUT:
		w = gzip(data, size, &n);
		if (form == F_GZIP_CUT) {
			n -= 1 + (size % (n - 1)); /* at least a byte off */
			same = 0;
		}
		break;
	case F_UTF16LE:
		w = utf16(data, size, "UTF-16LE", 1, &n);
		break;
	case F_UTF16BE:
		w = utf16(data, size, "UTF-16BE", 0, &n);
		/* without a mark, found by the zero bytes of two ASCII
		 * characters */
		same = size >= 2 && data[0] != 0 && data[0] < 0x80 &&
		    data[1] != 0 && data[1] < 0x80;
		break;
	case F_ZIP:
		w = zipped(data, size, &n);
		break;
	case F_ZIP_FLIP:
	case F_GZIP_FLIP:
		/* a byte of the archive changed, where the text says: the
		 * directory, a header, the data or a CRC */
		w = form == F_ZIP_FLIP ? zipped(data, size, &n) :
		    gzip(data, size, &n);
		if (size >= 3) {
			w[(data[size - 1] | data[size - 2] << 8) % n] ^=
			    (unsigned char)(data[size - 3] | 1);
			same = 0;
		}
		break;
	case F_RAW_ZIP:
	case F_RAW_GZ:
		/* the bytes behind a form's magic: anything */
		n = size + 4;
		if ((w = malloc(n)) == NULL)
			abort();
		memcpy(w, form == F_RAW_ZIP ? "PK\3\4" : "\x1F\x8B\x08\x00", 4);
		memcpy(w + 4, data, size);
		same = 0;
		break;
	}
	if (w == NULL)
		return 0;	/* not UTF-8: no UTF-16 of it */
	{
		char *b = fuzz_csv_dump(w, n, &o);

		if (same && !looks_wrapped(data, size)) {
			char *a = fuzz_csv_dump(data, size, &o);

			if (strcmp(a, b) != 0) {
				fprintf(stderr, "plain:\n%s\nform %d:\n%s\n", a,
				    form, b);
				abort();
			}
			free(a);
		}
		free(b);
	}
	free(w);
	return 0;
}
