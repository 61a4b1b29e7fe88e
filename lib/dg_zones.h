/* dg_zones.h: the names people type for a market's zones and hubs,
 * resolved to the names the market's own files write (one table for every
 * program: dg-fetch --zone, and the zone options of dg-settle and
 * dg-schedule).
 *
 * A name matches in any letter case, and ignoring every character that is
 * not a letter or a digit: "nyc", "N.Y.C." and "n y c" are all NYISO's
 * N.Y.C.; "hud vl", "HUDVL" and isolf's "Hud Vl" are HUD VL.  Besides the
 * names as written, each entry is known by its code (NYISO's zone letters
 * A to K, also as "Zone J"), its id (NYISO's PTID, PJM's pnode id) and a few
 * aliases (NYC, LI, Long Island, ...).
 *
 *	const char *z;
 *
 *	if (dg_zone_resolve("NYISO", arg, &z) != DG_OK) {
 *		char known[1024];
 *
 *		dg_zone_list("NYISO", known, sizeof(known));
 *		... "unknown NYISO zone \"%s\"; known: %s", arg, known
 *	}
 *	... z is "N.Y.C." for arg "NYC", "J", "Zone J" or "61761" */
#ifndef DG_ZONES_H
#define DG_ZONES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The name market's files write for name, in *canonical (a static
 * string, or name itself).  market is "NYISO", "PJM", "MISO", "ERCOT" or
 * "CAISO" (any letter case).  NYISO's zones are all known: a name that is
 * none of them is DG_EINVAL.  The other markets have more nodes than the
 * table holds (their hubs and load zones): a name not in it is passed
 * through as written (DG_OK, *canonical = name), and so is any name of a
 * market not in the table (weather stations). */
int dg_zone_resolve(const char *market, const char *name,
    const char **canonical);
/* Whether every zone of market is in the table (an unknown one is then an
 * error). */
int dg_zone_closed(const char *market);
/* The known names of market for a message, in buf (n bytes, always
 * NUL-terminated): "WEST (A, 61752), GENESE (B, 61753), ...".  Returns
 * the length the whole list needs, as snprintf. */
int dg_zone_list(const char *market, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
