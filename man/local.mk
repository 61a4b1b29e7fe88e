# man pages
dist_man_MANS += man/dgagg.7 man/dg-pulse2kwh.1 man/dg-import.1
