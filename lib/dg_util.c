/* dg_util.c: array growth, huge pages and SHA-256, shared by the library's
 * modules. */
#include <config.h>

#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "dg_status.h"
#include "dg_util.h"

int
dg_grow(void *pp, size_t *cap, size_t need, size_t elem)
{
	void **p = pp;
	size_t n = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -1;
		n *= 2;
	}
	if (elem != 0 && n > SIZE_MAX / elem)
		return -1;
	if ((q = realloc(*p, n * elem)) == NULL)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

void *
dg_huge_alloc(size_t n)
{
	void *v;

	if (posix_memalign(&v, DG_HUGE_PAGE, n) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(v, n, MADV_HUGEPAGE);
#endif
	return v;
}

static void
hex_of(const uint8_t dig[SHA256_DIGEST_SIZE], char hex[DG_SHA256_HEX])
{
	static const char xd[] = "0123456789abcdef";

	for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex[2 * i] = xd[dig[i] >> 4];
		hex[2 * i + 1] = xd[dig[i] & 15];
	}
	hex[2 * SHA256_DIGEST_SIZE] = '\0';
}

void
dg_sha256_buf(const void *buf, size_t len, char hex[DG_SHA256_HEX])
{
	struct sha256_ctx ctx;
	uint8_t dig[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, buf);
	sha256_digest(&ctx, sizeof(dig), dig);
	hex_of(dig, hex);
}

int
dg_sha256_fp(FILE *fp, char hex[DG_SHA256_HEX], long long *bytes)
{
	struct sha256_ctx ctx;
	uint8_t dig[SHA256_DIGEST_SIZE], buf[65536];
	long long total = 0;
	size_t n;

	sha256_init(&ctx);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		sha256_update(&ctx, n, buf);
		total += (long long)n;
	}
	if (ferror(fp))
		return DG_EIO;
	sha256_digest(&ctx, sizeof(dig), dig);
	hex_of(dig, hex);
	if (bytes != NULL)
		*bytes = total;
	return DG_OK;
}

int
dg_sha256_file(const char *path, char hex[DG_SHA256_HEX], long long *bytes)
{
	FILE *fp = fopen(path, "rb");
	int st;

	if (fp == NULL)
		return DG_ENOINPUT;
	st = dg_sha256_fp(fp, hex, bytes);
	fclose(fp);
	return st;
}
