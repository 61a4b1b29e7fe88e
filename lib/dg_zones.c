/* dg_zones.c: the table of the markets' zone names (see dg_zones.h). */
#include <config.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dg_status.h"
#include "dg_zones.h"

struct zone {
	const char *market;
	const char *name;	/* as the market's files write it */
	const char *code;	/* NYISO's zone letter, or NULL */
	const char *id;		/* PTID, pnode id, or NULL */
	const char *aliases;	/* other names, '|' between, or NULL */
};

/* NYISO: names and PTIDs as every damlbmp_zone, realtime_zone and
 * palIntegrated file writes them (testdata/fetch: 2002, 2003, 2017 and
 * 2022 files; isolf writes the same names in mixed case, "Hud Vl", and
 * the total NYISO).  The zone letters: J (New York City), K (Long Island)
 * and I (Dunwoodie, Westchester) are named so in the source report; A to
 * H follow NYISO's lettering of its load zones from west to east [I: not
 * re-read in a NYISO document].  H Q, NPX, O H and PJM are the proxy
 * buses of the neighbouring control areas (Hydro-Quebec, New England,
 * Ontario, PJM) in the zonal price files.  N.Y.C._LONGIL is the one area
 * of the 2002-2003 palIntegrated files (no PTID).
 *
 * PJM: the hubs and their pnode ids as Data Miner 2's da_hrl_lmps and
 * rt_hrl_lmps write them (the 2025 hub export of testdata/fetch).
 *
 * MISO: the hubs of the day-ahead market report of 2011-07-16.
 *
 * ERCOT: HB_HOUSTON as NP4-190 writes it; the other hubs and load zones
 * of the same report [I: from ERCOT's list of settlement points, not in a
 * file here].
 *
 * CAISO: the three trading hubs as OASIS names them, and the names people
 * use for them [I: not in a file here]. */
static const struct zone zones[] = {
	{ "NYISO", "WEST", "A", "61752", NULL },
	{ "NYISO", "GENESE", "B", "61753", "GENESEE" },
	{ "NYISO", "CENTRL", "C", "61754", "CENTRAL" },
	{ "NYISO", "NORTH", "D", "61755", NULL },
	{ "NYISO", "MHK VL", "E", "61756", "MOHAWK VALLEY" },
	{ "NYISO", "CAPITL", "F", "61757", "CAPITAL" },
	{ "NYISO", "HUD VL", "G", "61758", "HUDSON VALLEY" },
	{ "NYISO", "MILLWD", "H", "61759", "MILLWOOD" },
	{ "NYISO", "DUNWOD", "I", "61760", "DUNWOODIE" },
	{ "NYISO", "N.Y.C.", "J", "61761", "NEW YORK CITY" },
	{ "NYISO", "LONGIL", "K", "61762", "LI|LONG ISLAND" },
	{ "NYISO", "H Q", NULL, "61844", NULL },
	{ "NYISO", "NPX", NULL, "61845", NULL },
	{ "NYISO", "O H", NULL, "61846", NULL },
	{ "NYISO", "PJM", NULL, "61847", NULL },
	{ "NYISO", "NYISO", NULL, NULL, NULL },
	{ "NYISO", "N.Y.C._LONGIL", NULL, NULL, NULL },
	{ "PJM", "AEP GEN HUB", NULL, "34497125", NULL },
	{ "PJM", "AEP-DAYTON HUB", NULL, "34497127", NULL },
	{ "PJM", "ATSI GEN HUB", NULL, "116013751", NULL },
	{ "PJM", "CHICAGO GEN HUB", NULL, "33092311", NULL },
	{ "PJM", "CHICAGO HUB", NULL, "33092313", NULL },
	{ "PJM", "DOMINION HUB", NULL, "35010337", NULL },
	{ "PJM", "EASTERN HUB", NULL, "51217", NULL },
	{ "PJM", "N ILLINOIS HUB", NULL, "33092315", NULL },
	{ "PJM", "NEW JERSEY HUB", NULL, "4669664", NULL },
	{ "PJM", "OHIO HUB", NULL, "34497151", NULL },
	{ "PJM", "WEST INT HUB", NULL, "51287", NULL },
	{ "PJM", "WESTERN HUB", NULL, "51288", NULL },
	{ "MISO", "CINERGY.HUB", NULL, NULL, NULL },
	{ "MISO", "ILLINOIS.HUB", NULL, NULL, NULL },
	{ "MISO", "INDIANA.HUB", NULL, NULL, NULL },
	{ "MISO", "MICHIGAN.HUB", NULL, NULL, NULL },
	{ "MISO", "MINN.HUB", NULL, NULL, NULL },
	{ "ERCOT", "HB_BUSAVG", NULL, NULL, NULL },
	{ "ERCOT", "HB_HOUSTON", NULL, NULL, NULL },
	{ "ERCOT", "HB_HUBAVG", NULL, NULL, NULL },
	{ "ERCOT", "HB_NORTH", NULL, NULL, NULL },
	{ "ERCOT", "HB_PAN", NULL, NULL, NULL },
	{ "ERCOT", "HB_SOUTH", NULL, NULL, NULL },
	{ "ERCOT", "HB_WEST", NULL, NULL, NULL },
	{ "ERCOT", "LZ_AEN", NULL, NULL, NULL },
	{ "ERCOT", "LZ_CPS", NULL, NULL, NULL },
	{ "ERCOT", "LZ_HOUSTON", NULL, NULL, NULL },
	{ "ERCOT", "LZ_LCRA", NULL, NULL, NULL },
	{ "ERCOT", "LZ_NORTH", NULL, NULL, NULL },
	{ "ERCOT", "LZ_RAYBN", NULL, NULL, NULL },
	{ "ERCOT", "LZ_SOUTH", NULL, NULL, NULL },
	{ "ERCOT", "LZ_WEST", NULL, NULL, NULL },
	{ "CAISO", "TH_NP15_GEN-APND", NULL, NULL, "NP15|NP 15" },
	{ "CAISO", "TH_SP15_GEN-APND", NULL, NULL, "SP15|SP 15" },
	{ "CAISO", "TH_ZP26_GEN-APND", NULL, NULL, "ZP26|ZP 26" },
};
#define NZONES (sizeof(zones) / sizeof(zones[0]))

/* The markets whose every zone is in the table. */
static const char *const closed[] = { "NYISO", NULL };

/* s upper-cased without the characters that are not letters or digits,
 * in out (n bytes); a leading "ZONE" is dropped when a letter follows
 * alone ("Zone J"). */
static void
norm(const char *s, size_t len, char *out, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < n; i++)
		if (isalnum((unsigned char)s[i]))
			out[o++] = (char)toupper((unsigned char)s[i]);
	out[o] = '\0';
	if (o == 5 && strncmp(out, "ZONE", 4) == 0)
		memmove(out, out + 4, 2);
}

static int
same(const char *key, const char *s, size_t len)
{
	char b[128];

	norm(s, len, b, sizeof(b));
	return b[0] != '\0' && strcmp(key, b) == 0;
}

/* Whether key (normalized) names z. */
static int
names(const struct zone *z, const char *key)
{
	const char *a = z->aliases;

	if (same(key, z->name, strlen(z->name)) ||
	    (z->code && same(key, z->code, strlen(z->code))) ||
	    (z->id && strcmp(key, z->id) == 0))
		return 1;
	while (a != NULL) {
		const char *bar = strchr(a, '|');
		size_t l = bar ? (size_t)(bar - a) : strlen(a);

		if (same(key, a, l))
			return 1;
		a = bar ? bar + 1 : NULL;
	}
	return 0;
}

int
dg_zone_closed(const char *market)
{
	for (size_t i = 0; market != NULL && closed[i] != NULL; i++)
		if (strcasecmp(market, closed[i]) == 0)
			return 1;
	return 0;
}

int
dg_zone_resolve(const char *market, const char *name,
    const char **canonical)
{
	char key[128];

	*canonical = name;
	if (market == NULL)
		return DG_OK;
	norm(name, strlen(name), key, sizeof(key));
	for (size_t i = 0; i < NZONES; i++)
		if (strcasecmp(zones[i].market, market) == 0 &&
		    names(&zones[i], key)) {
			*canonical = zones[i].name;
			return DG_OK;
		}
	return dg_zone_closed(market) ? DG_EINVAL : DG_OK;
}

int
dg_zone_list(const char *market, char *buf, size_t n)
{
	size_t o = 0;
	int first = 1;

	if (n > 0)
		buf[0] = '\0';
	for (size_t i = 0; market != NULL && i < NZONES; i++) {
		const struct zone *z = &zones[i];
		int k;

		if (strcasecmp(z->market, market) != 0)
			continue;
		k = snprintf(buf + (o < n ? o : n), o < n ? n - o : 0,
		    "%s%s%s%s%s%s%s", first ? "" : ", ", z->name,
		    z->code || z->id ? " (" : "", z->code ? z->code : "",
		    z->code && z->id ? ", " : "", z->id ? z->id : "",
		    z->code || z->id ? ")" : "");
		if (k > 0)
			o += (size_t)k;
		first = 0;
	}
	return (int)o;
}
