/* check_http: what lib/dg_http.c decides without a server: a
 * Retry-After's wait, whether two URLs are one origin (the key of a
 * download kept from other hosts), escaped forms.  The requests
 * themselves: tests/fetch (downloads), tests/event and tests/notify (REST,
 * webhooks, SMS) against local servers. */
#include <config.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dg_http.h"

START_TEST(retry_after)
{
	/* RFC 9110, 10.2.3: delta-seconds or an HTTP-date */
	ck_assert(dg_http_retry_after_s("120") == 120);
	ck_assert(dg_http_retry_after_s("0") == 0);
	/* a date gone by: no wait */
	ck_assert(dg_http_retry_after_s("Wed, 20 Jul 2022 15:00:00 GMT") ==
	    0);
	ck_assert(dg_http_retry_after_s("") == -1);
	ck_assert(dg_http_retry_after_s("soon") == -1);
	ck_assert(dg_http_retry_after_s("-5") == -1);
}
END_TEST

START_TEST(retry_after_future)
{
	char d[64];
	time_t t = time(NULL) + 3600;
	struct tm tm;
	double s;

	gmtime_r(&t, &tm);
	strftime(d, sizeof(d), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	s = dg_http_retry_after_s(d);
	/* an hour from now, give or take the second the test takes */
	ck_assert(s >= 3598 && s <= 3600);
}
END_TEST

START_TEST(same_origin)
{
	ck_assert(dg_http_same_origin("https://api.pjm.com/a",
	    "https://API.pjm.com:443/b?c=d"));
	ck_assert(!dg_http_same_origin("https://api.pjm.com/a",
	    "http://api.pjm.com/a"));
	ck_assert(!dg_http_same_origin("https://api.pjm.com/a",
	    "https://cdn.pjm.com/a"));
	ck_assert(!dg_http_same_origin("http://127.0.0.1:8001/a",
	    "http://127.0.0.1:8002/a"));
	ck_assert(!dg_http_same_origin("not a url", "not a url"));
}
END_TEST

START_TEST(forms)
{
	char buf[64], small[4];
	size_t k = 0;

	ck_assert_int_eq(dg_http_escape("a b&c=d/\xc3\xa9~", buf, sizeof(buf)),
	    DG_OK);
	ck_assert_str_eq(buf, "a%20b%26c%3Dd%2F%C3%A9~");
	ck_assert_int_eq(dg_http_escape("abcd", small, sizeof(small)),
	    DG_ERANGE);
	ck_assert_int_eq(dg_http_form_add(buf, sizeof(buf), &k, "to",
	    "+15165550100"), DG_OK);
	ck_assert_int_eq(dg_http_form_add(buf, sizeof(buf), &k, "body",
	    "call 13:00"), DG_OK);
	ck_assert_str_eq(buf, "to=%2B15165550100&body=call%2013%3A00");
	ck_assert_int_eq(k, strlen(buf));
	ck_assert_int_eq(dg_http_form_add(small, sizeof(small), &(size_t){0},
	    "key", "v"), DG_ERANGE);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("http");
	TCase *core = tcase_create("core");

	tcase_add_test(core, retry_after);
	tcase_add_test(core, retry_after_future);
	tcase_add_test(core, same_origin);
	tcase_add_test(core, forms);
	suite_add_tcase(s, core);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
