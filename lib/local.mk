# libdgagg: every module of lib/ (doc/style.md, Build).  The library
# links what its modules use: libcsv, GSL, libcurl, json-c, zlib, nettle.
lib_LTLIBRARIES += lib/libdgagg.la
lib_libdgagg_la_SOURCES = \
	lib/dg_acl.c \
	lib/dg_bid.c \
	lib/dg_blockopt.c \
	lib/dg_cal.c \
	lib/dg_capacity.c \
	lib/dg_capacity_price.c \
	lib/dg_cbl.c \
	lib/dg_conf.c \
	lib/dg_csv.c \
	lib/dg_dec.c \
	lib/dg_econ.c \
	lib/dg_econ_fin.c \
	lib/dg_econ_port.c \
	lib/dg_events.c \
	lib/dg_extsort.c \
	lib/dg_fetch.c \
	lib/dg_fetch_archive.c \
	lib/dg_fetch_cache.c \
	lib/dg_fetch_caiso.c \
	lib/dg_fetch_ercot.c \
	lib/dg_fetch_http.c \
	lib/dg_fetch_miso.c \
	lib/dg_fetch_nws.c \
	lib/dg_fetch_nyiso.c \
	lib/dg_fetch_nyiso_icap.c \
	lib/dg_fetch_pjm.c \
	lib/dg_fetch_stream.c \
	lib/dg_forecast.c \
	lib/dg_gencost.c \
	lib/dg_health.c \
	lib/dg_health_meter.c \
	lib/dg_html.c \
	lib/dg_html_days.c \
	lib/dg_html_pdf.c \
	lib/dg_http.c \
	lib/dg_import.c \
	lib/dg_intake.c \
	lib/dg_ledger.c \
	lib/dg_ledger_events.c \
	lib/dg_manifest.c \
	lib/dg_notify_contacts.c \
	lib/dg_notify_pass.c \
	lib/dg_notify_run.c \
	lib/dg_notify_send.c \
	lib/dg_notify_state.c \
	lib/dg_openadr.c \
	lib/dg_openadr_client.c \
	lib/dg_openadr_ledger.c \
	lib/dg_pass.c \
	lib/dg_peakhunt.c \
	lib/dg_peakhunt_eval.c \
	lib/dg_peakhunt_run.c \
	lib/dg_plot.c \
	lib/dg_plot_axis.c \
	lib/dg_plot_day.c \
	lib/dg_plot_events.c \
	lib/dg_plot_fc.c \
	lib/dg_plot_gp.c \
	lib/dg_plot_price.c \
	lib/dg_plot_ucap.c \
	lib/dg_proc.c \
	lib/dg_pulse.c \
	lib/dg_quality.c \
	lib/dg_rat.c \
	lib/dg_schedule.c \
	lib/dg_series.c \
	lib/dg_settle.c \
	lib/dg_settle_input.c \
	lib/dg_settle_pay.c \
	lib/dg_settle_perf.c \
	lib/dg_settle_prices.c \
	lib/dg_settle_rules.c \
	lib/dg_settle_shadow.c \
	lib/dg_settle_stmt.c \
	lib/dg_settle_sum.c \
	lib/dg_sites.c \
	lib/dg_status.c \
	lib/dg_time.c \
	lib/dg_track.c \
	lib/dg_track_in.c \
	lib/dg_track_stream.c \
	lib/dg_ucap.c \
	lib/dg_util.c \
	lib/dg_weather.c \
	lib/dg_zones.c \
	lib/version.c
lib_libdgagg_la_CFLAGS = $(AM_CFLAGS) $(GSL_CFLAGS) $(CURL_CFLAGS) \
	$(JSONC_CFLAGS) $(LIBZIP_CFLAGS) $(ZLIB_CFLAGS) $(NETTLE_CFLAGS)
lib_libdgagg_la_LIBADD = $(CSV_LIBS) $(GSL_LIBS) $(CURL_LIBS) $(JSONC_LIBS) \
	$(LIBZIP_LIBS) $(ZLIB_LIBS) $(NETTLE_LIBS) $(LIBM)
lib_libdgagg_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(DG_LT_VERSION) \
	-no-undefined

# public headers: what a program outside the tree needs
pkginclude_HEADERS += \
	lib/dg_acl.h \
	lib/dg_bid.h \
	lib/dg_blockopt.h \
	lib/dg_cal.h \
	lib/dg_capacity.h \
	lib/dg_cbl.h \
	lib/dg_csv.h \
	lib/dg_dec.h \
	lib/dg_econ.h \
	lib/dg_events.h \
	lib/dg_fetch.h \
	lib/dg_fetch_cache.h \
	lib/dg_fetch_http.h \
	lib/dg_fetch_stream.h \
	lib/dg_forecast.h \
	lib/dg_gencost.h \
	lib/dg_health.h \
	lib/dg_html.h \
	lib/dg_http.h \
	lib/dg_import.h \
	lib/dg_intake.h \
	lib/dg_ledger.h \
	lib/dg_manifest.h \
	lib/dg_notify.h \
	lib/dg_openadr.h \
	lib/dg_pass.h \
	lib/dg_peakhunt.h \
	lib/dg_plot.h \
	lib/dg_pulse.h \
	lib/dg_quality.h \
	lib/dg_rat.h \
	lib/dg_schedule.h \
	lib/dg_series.h \
	lib/dg_settle.h \
	lib/dg_sites.h \
	lib/dg_status.h \
	lib/dg_time.h \
	lib/dg_track.h \
	lib/dg_ucap.h \
	lib/dg_weather.h \
	lib/dg_zones.h \
	lib/dgagg.h
# private headers (not installed)
EXTRA_DIST += \
	lib/dg_cbl_int.h \
	lib/dg_conf.h \
	lib/dg_econ_int.h \
	lib/dg_extsort.h \
	lib/dg_fetch_impl.h \
	lib/dg_html_int.h \
	lib/dg_notify_int.h \
	lib/dg_openadr_int.h \
	lib/dg_peakhunt_int.h \
	lib/dg_plot_int.h \
	lib/dg_proc.h \
	lib/dg_settle_int.h \
	lib/dg_track_int.h \
	lib/dg_util.h
