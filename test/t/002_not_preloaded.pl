# Without shared_preload_libraries, CREATE EXTENSION works and every
# function says clearly that the library must be preloaded, except the pure
# ones (simulate() and max_connections_for()), which use the defaults.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('plain');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');

# a value of each argument type, so that no STRICT function skips the call
my %literal = (numeric => '1', jsonb => "'[]'", text => "'x'",
	integer => '1', 'timestamp with time zone' => 'now()', boolean => 'true');

my @functions = split /\n/, $node->safe_psql('postgres', q{
	SELECT p.oid::regprocedure || '|' || p.proname || '|' ||
	       oidvectortypes(p.proargtypes)
	  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
	 WHERE n.nspname = 'aurora_serverless'
	   AND p.prorettype <> 'trigger'::regtype    -- called by triggers only
	 ORDER BY 1});
cmp_ok(scalar(@functions), '>=', 8, 'the schema has its functions');

foreach my $f (@functions)
{
	my ($sig, $name, $args) = split /\|/, $f;
	my @vals;
	foreach my $a (split /, /, $args // '')
	{
		push @vals, $literal{$a} // 'NULL';
	}
	my $call = "SELECT aurora_serverless.$name(" . join(', ', @vals) . ')';
	my ($ret, $stdout, $stderr) = $node->psql('postgres', $call);
	if ($name eq 'simulate' || $name eq 'max_connections_for' || $name eq 'buffer_pool_for')
	{
		# the placeholder arguments may be refused, but not for the library
		unlike($stderr, qr/must be loaded/, "$sig works without the library preloaded");
		next;
	}
	like($stderr,
		qr/aurora_serverless must be loaded via "shared_preload_libraries"/,
		"$sig says the library must be preloaded");
}

# the pure functions answer with the defaults (0.5 to 16 ACU, 1 s samples)
is($node->safe_psql('postgres', 'SELECT aurora_serverless.max_connections_for(16, 0.5)'),
	'2000', 'max_connections_for() without the library preloaded');
is($node->safe_psql('postgres', q{
	SELECT string_agg(serverless_database_capacity::text, ',' ORDER BY step)
	  FROM aurora_serverless.simulate('[{"cpu": 0}, {"cpu": 1}, {"cpu": 1}, {"cpu": 1}]')}),
	'0.5,0.5,1,2', 'simulate() without the library preloaded, with the default settings');

my ($ret, $stdout, $stderr) = $node->psql('postgres',
	'SELECT * FROM aurora_serverless.capacity', extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($stderr, qr/55000/, 'the error is object_not_in_prerequisite_state');
like($stderr, qr/HINT:.*shared_preload_libraries/, 'the hint names the setting');

$node->stop;
done_testing();
