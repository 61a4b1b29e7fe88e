/* gen-national.c: a national-scale portfolio, deterministic from a seed
 * (scripts/gen-national builds and runs it).  Writes into DIR:
 *   sites.csv        N sites across the 11 NYISO zones (the columns of
 *                    testdata/sample/sites.csv), every site in SCR and EDRP
 *   generators.csv   1 to 3 backup generators per site (the columns of
 *                    testdata/sample/generators.csv)
 *   load-YEAR.csv    site,time,load_kw: every hour of the year (8,760, with
 *                    the 23- and 25-hour days), sorted by site then time
 *   weather-YEAR.csv station,time,temp_f,rh_pct: one station per zone
 *   prices-da-YEAR.csv, prices-rt-YEAR.csv  zone,time,price_usd_per_mwh
 *                    (normalized hourly, time at the hour start)
 *   events-YEAR.csv  EDRP and SCR events, June to September
 *   offers.csv       site,program,strike_usd_per_mwh
 *   contracts.csv    site,participant,share_pct,program
 *   load-history.csv with -h YYYY-MM-DD:DAYS: the DAYS days of load before
 *                    that day (the bid pipeline's fitting history)
 *   pulses-YEAR.csv  with -p DAYS: site,time,pulses, 5-minute meter counter
 *                    readings (32 bits) from July 1 on, DAYS days
 * The numbers are synthetic (an office-like day shape, weather response,
 * noise from a counter-based generator: the same seed gives the same bytes
 * whatever the order of generation).
 *
 * usage: gen-national [-n SITES] [-s SEED] [-y YEAR] [-p DAYS]
 *                     [-h YYYY-MM-DD:DAYS] DIR */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct { const char *zone, *ptid, *station; double tbase; } Z[] = {
	{ "CAPITL", "61757", "KALB", 48 }, { "CENTRL", "61754", "KSYR", 48 },
	{ "DUNWOD", "61760", "KHPN", 53 }, { "GENESE", "61753", "KROC", 48 },
	{ "HUD VL", "61758", "KPOU", 51 }, { "LONGIL", "61762", "KISP", 54 },
	{ "MHK VL", "61756", "KUCA", 46 }, { "MILLWD", "61759", "KMGJ", 51 },
	{ "N.Y.C.", "61761", "KJFK", 56 }, { "NORTH", "61755", "KPBG", 44 },
	{ "WEST", "61752", "KBUF", 48 },
};
#define NZ (sizeof(Z) / sizeof(Z[0]))

static uint64_t seed = 1;

/* splitmix64 of (seed, a, b, c): uniform in [0, 1) */
static double
u01(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL ^ a * 0xbf58476d1ce4e5b9ULL ^
	    b * 0x94d049bb133111ebULL ^ c * 0xd6e8feb86659fd39ULL;

	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (double)(x >> 11) / 9007199254740992.0;
}

static FILE *
out(const char *dir, const char *name)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL) {
		fprintf(stderr, "gen-national: %s: %s\n", path, strerror(errno));
		exit(73);
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	return fp;
}

static void
done(FILE *fp)
{
	if (fflush(fp) != 0 || ferror(fp) || fclose(fp) != 0) {
		fprintf(stderr, "gen-national: write error: %s\n", strerror(errno));
		exit(74);
	}
}

struct hour {
	char stamp[32];		/* 2017-07-14T14:00:00-04:00 */
	int hod, wday, doy;	/* local hour of day, weekday, day of year */
};

/* The load of site s in hour h (kW). */
static double
load_kw(int s, size_t h, const struct hour *H, size_t nh, const double *temp)
{
	size_t z = (size_t)(u01(10, s, 0) * NZ);
	double peak = 150 + (int)(u01(11, s, 0) * 1850);
	double base = peak * (0.25 + 0.15 * u01(15, s, 0));
	double cool = peak * (0.004 + 0.004 * u01(16, s, 0));
	int open = 7 + (int)(u01(17, s, 0) * 3);
	int close = 17 + (int)(u01(18, s, 0) * 4);
	int busy = H[h].wday != 0 && H[h].wday != 6 &&
	    H[h].hod >= open && H[h].hod < close;
	double t = temp[z * nh + h];
	double kw = base + (busy ? 0.45 * peak : 0) +
	    (t > 65 ? cool * (t - 65) * (busy ? 1 : 0.4) : 0);

	kw *= 0.92 + 0.16 * u01(19, s, h);
	return kw > peak ? peak : kw;
}

int
main(int argc, char **argv)
{
	int n = 10000, year = 2017, pdays = 0, hm = 0, hd = 0, hdays = 0, c;
	const char *dir;
	struct hour *H;
	size_t nh = 0;
	double *temp;
	char name[64];
	FILE *fp;

	while ((c = getopt(argc, argv, "n:s:y:p:h:")) != -1) {
		char *end;

		switch (c) {
		case 'n': n = (int)strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 999999) goto usage;
			break;
		case 's': seed = strtoull(optarg, &end, 10);
			if (*end) goto usage;
			break;
		case 'y': year = (int)strtol(optarg, &end, 10);
			if (*end || year < 1990 || year > 2100) goto usage;
			break;
		case 'p': pdays = (int)strtol(optarg, &end, 10);
			if (*end || pdays < 0 || pdays > 92) goto usage;
			break;
		case 'h': {
			int hy;

			if (sscanf(optarg, "%d-%d-%d:%d", &hy, &hm, &hd, &hdays) != 4 ||
			    hm < 1 || hm > 12 || hd < 1 || hd > 31 || hdays < 1 ||
			    hdays > 365)
				goto usage;
			break;
		}
		default: goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	dir = argv[optind];
	setenv("TZ", "America/New_York", 1);
	tzset();

	/* the hours of the year, in local time */
	{
		struct tm tm = { .tm_year = year - 1900, .tm_mon = 0, .tm_mday = 1,
		    .tm_isdst = -1 };
		struct tm e = tm;
		time_t t, end;

		e.tm_year++;
		t = mktime(&tm);
		end = mktime(&e);
		H = calloc((size_t)(end - t) / 3600 + 1, sizeof(*H));
		if (H == NULL)
			return 71;
		for (; t < end; t += 3600, nh++) {
			struct tm lt;
			char z[8];

			localtime_r(&t, &lt);
			strftime(H[nh].stamp, sizeof(H[nh].stamp), "%Y-%m-%dT%H:%M:%S", &lt);
			strftime(z, sizeof(z), "%z", &lt);
			snprintf(H[nh].stamp + 19, 8, "%c%c%c:%c%c", z[0], z[1], z[2], z[3], z[4]);
			H[nh].hod = lt.tm_hour;
			H[nh].wday = lt.tm_wday;
			H[nh].doy = lt.tm_yday;
		}
	}

	/* weather: one station per zone */
	temp = malloc(NZ * nh * sizeof(*temp));
	if (temp == NULL)
		return 71;
	snprintf(name, sizeof(name), "weather-%d.csv", year);
	fp = out(dir, name);
	fprintf(fp, "station,time,temp_f,rh_pct\n");
	for (size_t z = 0; z < NZ; z++)
		for (size_t h = 0; h < nh; h++) {
			double season = -cos(2 * M_PI * (H[h].doy - 15) / 365.0);
			double day = -cos(2 * M_PI * (H[h].hod - 4) / 24.0);
			double wx = 6 * sin(2 * M_PI * H[h].doy / 9.3 + z) +
			    4 * (u01(1, z, h / 24) - 0.5);
			double t = Z[z].tbase + 24 * season + 7 * day + wx +
			    (u01(2, z, h) - 0.5);
			double rh = 65 - 15 * day + 20 * (u01(3, z, h / 6) - 0.5);

			temp[z * nh + h] = t;
			fprintf(fp, "%s,%s,%.1f,%.0f\n", Z[z].station, H[h].stamp, t,
			    rh < 5 ? 5 : rh > 100 ? 100 : rh);
		}
	done(fp);

	/* prices: day-ahead and real-time, hourly per zone */
	for (int rt = 0; rt <= 1; rt++) {
		snprintf(name, sizeof(name), "prices-%s-%d.csv", rt ? "rt" : "da", year);
		fp = out(dir, name);
		fprintf(fp, "zone,time,price_usd_per_mwh\n");
		for (size_t z = 0; z < NZ; z++)
			for (size_t h = 0; h < nh; h++) {
				double t = temp[z * nh + h];
				double p = 22 + 0.9 * (t > 70 ? t - 70 : 0) * (t > 70 ? t - 70 : 0) / 4 +
				    8 * (H[h].hod >= 8 && H[h].hod < 22) +
				    (rt ? 25 * (u01(4, z, h) - 0.45) : 4 * (u01(5, z, h) - 0.5));
				fprintf(fp, "%s,%s,%.2f\n", Z[z].zone, H[h].stamp, p);
			}
		done(fp);
	}

	/* sites, generators, offers, contracts */
	fp = out(dir, "sites.csv");
	fprintf(fp, "site,name,rto,zone,ptid,peak_kw,curtailable_kw,installed_kw,"
	    "pulse_kwh,counter_bits,station,programs,cmd_kw\n");
	for (int s = 0; s < n; s++) {
		size_t z = (size_t)(u01(10, s, 0) * NZ);
		int peak = 150 + (int)(u01(11, s, 0) * 1850);
		int curt = (int)(peak * (0.5 + 0.5 * u01(12, s, 0)));
		int inst = (int)(curt * 1.25 / 250 + 1) * 250;

		fprintf(fp, "S%05d,site %d,NYISO,%s,%s,%d,%d,%d,%s,32,%s,SCR;EDRP,%d\n",
		    s + 1, s + 1, Z[z].zone, Z[z].ptid, peak, curt, inst,
		    u01(13, s, 0) < 0.5 ? "0.25" : "1.2", Z[z].station,
		    (int)(u01(14, s, 0) * 60));
	}
	done(fp);
	fp = out(dir, "generators.csv");
	fprintf(fp, "site,gen,kind,capacity_kw,hr_25_btu_per_kwh,hr_50_btu_per_kwh,"
	    "hr_75_btu_per_kwh,hr_100_btu_per_kwh,fuel_usd_per_mmbtu,om_usd_per_mwh,"
	    "start_usd,min_run_h,max_run_h_day,permit_h_year,derate_pct_per_f,"
	    "derate_base_f,priority,curtail_usd_per_mwh\n");
	for (int s = 0; s < n; s++) {
		int ng = 1 + (int)(u01(20, s, 0) * 3);

		for (int g = 0; g < ng; g++) {
			int diesel = u01(21, s, g) < 0.6;
			int cap = 250 + 250 * (int)(u01(22, s, g) * 6);

			fprintf(fp, "S%05d,G%d,%s,%d,%s,%.2f,%.2f,%.2f,%d,%d,%d,%.2f,59,%d,\n",
			    s + 1, g + 1, diesel ? "diesel" : "gas-turbine", cap,
			    diesel ? "13800,11200,10400,10100" : "23400,16600,14100,12600",
			    diesel ? 2.95 + u01(23, s, g) : 4.85 + u01(23, s, g),
			    8.5 + 4 * u01(24, s, g), 40 + 80 * u01(25, s, g),
			    1 + (int)(u01(26, s, g) * 3), 8 + (int)(u01(27, s, g) * 8),
			    diesel ? 300 : 1000, 0.35, g + 1);
		}
	}
	done(fp);
	fp = out(dir, "offers.csv");
	fprintf(fp, "site,program,strike_usd_per_mwh\n");
	for (int s = 0; s < n; s++) {
		fprintf(fp, "S%05d,EDRP,%.2f\n", s + 1, 100.0 + 25 * (int)(u01(30, s, 0) * 17));
		fprintf(fp, "S%05d,SCR,%.2f\n", s + 1, 100.0 + 25 * (int)(u01(31, s, 0) * 17));
	}
	done(fp);
	fp = out(dir, "contracts.csv");
	fprintf(fp, "site,participant,share_pct,program\n");
	for (int s = 0; s < n; s++)
		fprintf(fp, "S%05d,customer %d,%d,\n", s + 1, s / 3 + 1,
		    5 + (int)(u01(32, s, 0) * 26));
	done(fp);

	/* events: EDRP and SCR, summer afternoons (business days) */
	snprintf(name, sizeof(name), "events-%d.csv", year);
	fp = out(dir, name);
	fprintf(fp, "event,program,date,start,end\n");
	for (int m = 6, k = 0; m <= 9; m++)
		for (int d = 1; d <= 28; d++) {
			struct tm tm = { .tm_year = year - 1900, .tm_mon = m - 1,
			    .tm_mday = d, .tm_hour = 12, .tm_isdst = -1 };

			mktime(&tm);
			if (tm.tm_wday == 0 || tm.tm_wday == 6 || u01(40, m, d) > 0.2)
				continue;
			k++;
			fprintf(fp, "%s-%d-%02d-%02d,%s,%d-%02d-%02d,%02d:00,%02d:00\n",
			    k % 2 ? "EDRP" : "SCR", year, m, d, k % 2 ? "EDRP" : "SCR",
			    year, m, d, 12 + (int)(u01(41, m, d) * 3),
			    17 + (int)(u01(42, m, d) * 2));
		}
	done(fp);

	/* load: the big one; pulses from the same load */
	snprintf(name, sizeof(name), "load-%d.csv", year);
	fp = out(dir, name);
	fprintf(fp, "site,time,load_kw\n");
	for (int s = 0; s < n; s++) {
		char site[16];

		snprintf(site, sizeof(site), "S%05d", s + 1);
		for (size_t h = 0; h < nh; h++)
			fprintf(fp, "%s,%s,%.1f\n", site, H[h].stamp,
			    load_kw(s, h, H, nh, temp));
	}
	done(fp);
	if (hdays > 0) {
		struct tm a = { .tm_year = year - 1900, .tm_mon = hm - 1,
		    .tm_mday = hd - hdays, .tm_isdst = -1 };
		struct tm b = { .tm_year = year - 1900, .tm_mon = hm - 1,
		    .tm_mday = hd, .tm_isdst = -1 };
		struct tm j = { .tm_year = year - 1900, .tm_mon = 0, .tm_mday = 1,
		    .tm_isdst = -1 };
		time_t tj = mktime(&j), ta = mktime(&a), tb = mktime(&b);

		if (ta < tj || tb > tj + 3600 * (time_t)nh) {
			fprintf(stderr, "gen-national: -h: the history must lie in %d\n", year);
			return 64;
		}
		fp = out(dir, "load-history.csv");
		fprintf(fp, "site,time,load_kw\n");
		for (int s = 0; s < n; s++)
			for (size_t h = (size_t)(ta - tj) / 3600; h < (size_t)(tb - tj) / 3600; h++)
				fprintf(fp, "S%05d,%s,%.1f\n", s + 1, H[h].stamp,
				    load_kw(s, h, H, nh, temp));
		done(fp);
	}
	if (pdays > 0) {
		struct tm tm = { .tm_year = year - 1900, .tm_mon = 6, .tm_mday = 1,
		    .tm_isdst = -1 };
		time_t t0 = mktime(&tm);
		struct tm j = { .tm_year = year - 1900, .tm_mon = 0, .tm_mday = 1,
		    .tm_isdst = -1 };
		size_t h0 = (size_t)(t0 - mktime(&j)) / 3600;
		int np = pdays * 288;
		char (*st)[32] = malloc((size_t)np * sizeof(*st));

		if (st == NULL)
			return 71;
		for (int i = 0; i < np; i++) {
			time_t t = t0 + 300 * i;
			struct tm lt;
			char z[8];

			localtime_r(&t, &lt);
			strftime(st[i], 32, "%Y-%m-%dT%H:%M:%S", &lt);
			strftime(z, sizeof(z), "%z", &lt);
			snprintf(st[i] + 19, 8, "%c%c%c:%c%c", z[0], z[1], z[2], z[3], z[4]);
		}
		snprintf(name, sizeof(name), "pulses-%d.csv", year);
		fp = out(dir, name);
		fprintf(fp, "site,time,pulses\n");
		for (int s = 0; s < n; s++) {
			double pk = u01(13, s, 0) < 0.5 ? 0.25 : 1.2;
			double acc = 0;
			uint64_t c0 = (uint64_t)(u01(50, s, 0) * 4294967296.0);

			for (int i = 0; i < np; i++) {
				size_t h = h0 + (size_t)i / 12;

				if (h >= nh)
					break;
				fprintf(fp, "S%05d,%s,%llu\n", s + 1, st[i],
				    (unsigned long long)((c0 + (uint64_t)(acc / pk)) & 0xffffffffULL));
				acc += load_kw(s, h, H, nh, temp) / 12 *
				    (0.9 + 0.2 * u01(51, s, (uint64_t)i));
			}
		}
		done(fp);
		free(st);
	}
	free(temp);
	free(H);
	return 0;
usage:
	fprintf(stderr, "usage: gen-national [-n SITES] [-s SEED] [-y YEAR] [-p DAYS] "
	    "[-h YYYY-MM-DD:DAYS] DIR\n");
	return 64;
}
