# aurora_serverless: PGXS build.
#
#   make && make install             build and install into the server found by pg_config
#   test/run                         every test suite on temporary clusters (see README)

MODULE_big = aurora_serverless
OBJS = \
	src/aurora_serverless.o \
	src/guc.o \
	src/state.o \
	src/statefile.o \
	src/model/model.o \
	src/model/policy.o \
	src/model/statistics.o \
	src/model/text.o \
	src/model/usage.o \
	src/backend/blockers.o \
	src/backend/blockerscan.o \
	src/backend/pausework.o \
	src/backend/sessions.o \
	src/worker/autoconf.o \
	src/worker/cgroup.o \
	src/worker/cluster.o \
	src/worker/cpulimit.o \
	src/worker/sampler.o \
	src/worker/worker.o \
	src/sql/admin.o \
	src/sql/alarms.o \
	src/sql/cloudwatch.o \
	src/sql/clusterviews.o \
	src/sql/cost.o \
	src/sql/lifecycle.o \
	src/sql/report.o \
	src/sql/simulate.o \
	src/sql/sqlutil.o \
	src/sql/views.o \
	src/api/apiworker.o \
	src/api/awscbor.o \
	src/api/awsjson.o \
	src/api/awsout.o \
	src/api/awsxml.o \
	src/api/form.o \
	src/api/http.o \
	src/api/keys.o \
	src/api/monitoring.o \
	src/api/rds.o \
	src/api/request.o \
	src/api/sigv4.o

EXTENSION = aurora_serverless
DATA = aurora_serverless--1.0.sql aurora_serverless--1.0--1.1.sql
PGFILEDESC = "aurora_serverless - Aurora Serverless capacity on PostgreSQL"

# src/ holds the entry, the settings and the shared state; a folder per part:
# model (pure), backend (hooks in every backend), worker, sql, api
AS_SRC_DIRS = src src/model src/backend src/worker src/sql src/api
PG_CPPFLAGS = $(addprefix -I$(srcdir)/,$(AS_SRC_DIRS)) -I$(libpq_srcdir)
# a reader's worker talks to its writer with libpq (src/worker/cluster.c)
SHLIB_LINK_INTERNAL = $(libpq)
# the AWS API endpoint's HTTP (src/api/http.c)
SHLIB_LINK = -lmicrohttpd
# warnings are errors; PostgreSQL's own headers trip these two
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers

REGRESS = capacity max_connections settings simulate simulate_v1 pause calibration cost statistics alarms fuzz modify_capacity blockers cluster platform
REGRESS_OPTS = --temp-config=$(srcdir)/test/pg.conf

ISOLATION = blockers_listen blockers_cursor blockers_advisory blockers_temp blockers_locks_long \
	modify_capacity_commit alarm_limit_commit
ISOLATION_OPTS = --temp-config=$(srcdir)/test/pg.conf \
	--temp-config=$(srcdir)/test/isolation/isolation.conf \
	--inputdir=$(srcdir)/test/isolation --outputdir=test/isolation

TAP_TESTS = 1
PROVE_TESTS = test/t/*.pl

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# every object depends on every header: structs are shared across files
$(OBJS): $(foreach d,$(AS_SRC_DIRS),$(wildcard $(srcdir)/$(d)/*.h))

# monitoring/ (the exporter's query file and the Grafana dashboard) beside
# the extension: $(pg_config --sharedir)/aurora_serverless/
MONITORING = monitoring/postgres_exporter.yaml monitoring/grafana-dashboard.json
install: install-monitoring
uninstall: uninstall-monitoring
install-monitoring:
	$(MKDIR_P) '$(DESTDIR)$(datadir)/$(EXTENSION)'
	$(INSTALL_DATA) $(addprefix $(srcdir)/, $(MONITORING)) '$(DESTDIR)$(datadir)/$(EXTENSION)/'
uninstall-monitoring:
	rm -f $(addprefix '$(DESTDIR)$(datadir)/$(EXTENSION)'/, $(notdir $(MONITORING)))
	rmdir '$(DESTDIR)$(datadir)/$(EXTENSION)' 2>/dev/null || true
.PHONY: install-monitoring uninstall-monitoring
