# modify_capacity() under concurrency: eight sessions committing two
# different ranges at once.  Whatever the interleaving, the range in force
# and the range in postgresql.auto.conf are one that some caller committed,
# the same one, and it is the range in force after a restart; no call is
# refused as a mixed pair.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $node = PostgreSQL::Test::Cluster->new('concurrent');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 100ms
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');
sub query { return $node->safe_psql('postgres', shift); }

my $small = $node->basedir . '/small.sql';
my $large = $node->basedir . '/large.sql';
append_to_file($small, "SELECT aurora_serverless.modify_capacity(1, 2);\n");
append_to_file($large, "SELECT aurora_serverless.modify_capacity(8, 40);\n");

# the range in force, and the one the file holds
my $in_force = 'SELECT min_capacity || \',\' || max_capacity FROM aurora_serverless.capacity';
my $on_disk = q{SELECT string_agg(setting, ',' ORDER BY name DESC) FROM pg_file_settings
	WHERE sourcefile LIKE '%postgresql.auto.conf' AND name LIKE 'aurora_serverless.%_capacity'};

foreach my $round (1 .. 3)
{
	my ($out, $err) = ('', '');
	my $ok = IPC::Run::run(
		[ 'pgbench', '-n', '-c', '8', '-j', '2', '-t', '40', '-f', $small, '-f', $large,
		  '-h', $node->host, '-p', $node->port, 'postgres' ],
		'>', \$out, '2>', \$err);
	ok($ok, "round $round: 320 concurrent calls all succeed") or diag($err);

	# the worker writes the last range committed; wait until the file has it
	ok($node->poll_query_until('postgres', "SELECT ($in_force) = ($on_disk)"),
		"round $round: the file holds the range in force");
	like(query($in_force), qr/^(1,2|8,40)$/, "round $round: a range some caller committed");
}
is(query("SELECT count(*) FROM aurora_serverless.scaling_events WHERE event = 'config_rejected'"),
	'0', 'no call was refused as a mixed pair');

my $before = query($in_force);
$node->restart;
is(query($in_force), $before, 'after a restart the same range is in force');
is(query($on_disk), $before, 'and on disk');
ok(!$node->log_contains(qr/WARNING:.*aurora_serverless: min_capacity/),
	'the server never met an invalid pair in its files');

$node->stop;
done_testing();
