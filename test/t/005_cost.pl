# Accounting on a real cluster: after pgbench load, usage() equals the
# metrics ring sample by sample and replay() under the live settings agrees;
# samples that leave a small ring are kept hour by hour; a restart keeps the
# totals.  Then scheduled pre-warming through pg_cron calling
# modify_capacity().
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('cost');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 250ms
aurora_serverless.scale_up_delay = 0
aurora_serverless.scale_down_delay = 2s
aurora_serverless.scale_down_interval = 1s
aurora_serverless.metrics_history = 200
aurora_serverless.flush_interval = 1s
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');
sub query { return $node->safe_psql('postgres', shift); }

$node->pgbench('-i -s 2', 0, [qr{^$}], [qr{.*}], 'pgbench init');
$node->pgbench('-n -c 2 -j 2 -T 8 -S', 0, [qr{processed}], [qr{^$}], 'pgbench load');

cmp_ok(query('SELECT max(serverless_database_capacity) FROM aurora_serverless.metrics'),
	'>', 0.5, 'the load raised capacity');

# usage() over the ring equals the ring's own sum, and replay() under the
# live settings agrees.  The worker keeps sampling while this runs, and the
# three read the ring one after the other: replay() goes first and says how
# many samples it saw; the ring's sum and usage() are then taken over those
# same samples, up to the last one replay() saw, not up to now()
my $since = query('SELECT min(sample_time) FROM aurora_serverless.metrics');
my ($replay, $samples, $ring, $seen, $usage) = split /\|/, query(qq{
	WITH r AS MATERIALIZED (
	       SELECT acu_hours, samples
	         FROM aurora_serverless.replay(0.5, 16, 'v2', '$since')),
	     m AS MATERIALIZED (
	       SELECT sample_time, acu_seconds
	         FROM aurora_serverless.metrics
	        WHERE sample_time >= '$since'
	        ORDER BY sample_time
	        LIMIT (SELECT samples FROM r))
	SELECT r.acu_hours, r.samples,
	       (SELECT sum(acu_seconds) / 3600 FROM m), (SELECT count(*) FROM m),
	       (SELECT acu_hours
	          FROM aurora_serverless.usage('$since', (SELECT max(sample_time) FROM m)))
	  FROM r});
is($seen, $samples, "the ring still holds the $samples samples replay() saw");
# acu_hours is numeric rounded to 6 places (0.0036 ACU-seconds), each
# sample's acu_seconds too (200 samples: 0.0001 ACU-seconds at most); one
# sample of the ring is 0.125 ACU-seconds at least
ok(abs($usage - $ring) <= 0.6e-6,
	"usage() equals the sum of the metrics ring ($usage, $ring)");
ok(abs($replay - $ring) <= 1e-6 * $ring + 0.6e-6,
	"replay() under the live settings agrees with usage() ($replay)")
  or diag(query(qq{SELECT sample_time, target_capacity, serverless_database_capacity,
                          recorded_capacity, events
                     FROM aurora_serverless.replay_trajectory(0.5, 16, 'v2', '$since')
                    WHERE serverless_database_capacity <> recorded_capacity LIMIT 5}));

# samples that left the ring are still billed, by the hour
ok($node->poll_query_until('postgres',
	"SELECT samples > (SELECT count(*) FROM aurora_serverless.metrics)
	   FROM aurora_serverless.usage('-infinity', 'infinity')"),
	'samples older than the ring are still counted');
my $uptime = query("SELECT extract(epoch FROM now() - pg_postmaster_start_time())");
my $seconds = query("SELECT seconds FROM aurora_serverless.usage('-infinity', 'infinity')");
ok($seconds > $uptime - 10 && $seconds <= $uptime + 1,
	"the accounting covers the whole uptime ($seconds of $uptime s)");

# a restart keeps the totals
my $cut = query('SELECT now()');
my $before = query("SELECT acu_hours || ',' || samples FROM aurora_serverless.usage('-infinity', '$cut')");
$node->restart;
my $after = query("SELECT acu_hours || ',' || samples FROM aurora_serverless.usage('-infinity', '$cut')");
is($after, $before, 'a restart keeps the accounting');
$node->stop;

# scheduled pre-warming is pg_cron's job: a job calls modify_capacity()
my $pkglibdir = $node->config_data('--pkglibdir');
SKIP:
{
skip "pg_cron is not installed for this server ($pkglibdir/pg_cron.so): "
  . 'Debian 12 packages it for PostgreSQL 15 only, and test/pg-build could not fetch or build it for this one', 3
  unless -e "$pkglibdir/pg_cron.so";
my $cron = PostgreSQL::Test::Cluster->new('cron');
$cron->init;
$cron->append_conf('postgresql.conf', q{
shared_preload_libraries = 'pg_cron,aurora_serverless'
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 16
aurora_serverless.sample_interval = 250ms
});
$cron->start;
$cron->safe_psql('postgres', q{
	CREATE EXTENSION aurora_serverless;
	CREATE EXTENSION pg_cron;
});
# pg_cron 1.5 and later also schedule in seconds; 1.4 (Debian 12's, for 15)
# has minutes only, so its job runs at the next minute
my $schedule = $cron->safe_psql('postgres', q{
	SELECT CASE WHEN string_to_array(split_part(extversion, '-', 1), '.')::int[] >= '{1,5}'
	            THEN '2 seconds' ELSE '* * * * *' END
	  FROM pg_extension WHERE extname = 'pg_cron'});
$cron->safe_psql('postgres', qq{
	SELECT cron.schedule('prewarm', '$schedule',
	                     'SELECT aurora_serverless.modify_capacity(2, 8)')});
ok($cron->poll_query_until('postgres',
	"SELECT min_capacity = 2 AND serverless_database_capacity = 2 FROM aurora_serverless.capacity"),
	'a pg_cron job pre-warms the instance to min 2 ACU');
is($cron->safe_psql('postgres',
	"SELECT reason FROM aurora_serverless.scaling_events WHERE event = 'config_change'
	  ORDER BY event_time DESC LIMIT 1"), 'modify_capacity', 'recorded as modify_capacity');
ok($cron->poll_query_until('postgres',
	"SELECT count(*) > 0 FROM cron.job_run_details WHERE status = 'succeeded'"),
	'the job succeeded');
$cron->stop;
}
done_testing();
