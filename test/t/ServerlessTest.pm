# Helpers shared by the TAP files of test/t.  Nothing here knows the
# extension's schema: each helper takes the query it is to wait on.
package ServerlessTest;

use strict;
use warnings;
use Exporter 'import';
use PostgreSQL::Test::Utils;
use Time::HiRes qw(usleep);

our @EXPORT = qw(poll_through_recovery);

# Wait until $query, run in the database postgres, prints $expected ('t'
# unless given), and return whether it did within the default timeout.
#
# Made for the time after a server process was killed: the postmaster then
# ends every backend and refuses connections until crash recovery is over,
# and it may not have noticed the death yet when the first attempt starts.
# Every attempt may fail until then, in any way (a refused connection, or
# psql gone before it read its query, which IPC::Run reports as a broken
# pipe), so each one runs in an eval and a failure is only a reason to try
# again.  poll_query_until and pg_isready do not cover that: the first dies
# on the broken pipe, the second may answer before the crash is seen.
sub poll_through_recovery
{
	my ($node, $query, $expected) = @_;
	$expected = 't' unless defined $expected;

	foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
	{
		my $got = eval { $node->safe_psql('postgres', $query) };
		return 1 if defined $got && $got eq $expected;
		usleep(100_000);
	}
	return 0;
}

1;
