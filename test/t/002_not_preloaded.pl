# Without shared_preload_libraries, CREATE EXTENSION works and every
# function says clearly that the library must be preloaded.
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
	 WHERE n.nspname = 'aurora_serverless' ORDER BY 1});
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
	like($stderr,
		qr/aurora_serverless must be loaded via "shared_preload_libraries"/,
		"$sig says the library must be preloaded");
}

my ($ret, $stdout, $stderr) = $node->psql('postgres',
	'SELECT * FROM aurora_serverless.capacity', extra_params => [ '-v', 'VERBOSITY=verbose' ]);
like($stderr, qr/55000/, 'the error is object_not_in_prerequisite_state');
like($stderr, qr/HINT:.*shared_preload_libraries/, 'the hint names the setting');

$node->stop;
done_testing();
