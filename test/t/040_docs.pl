# The documentation's examples are run, and what they print is compared
# with what the pages show (README.md and docs/*.md).
#
# A page is followed as a reader follows it: on a server of its own,
# configured with the page's conf blocks (docs/ pages also with the
# README's, and the extension created, where the README leaves a reader),
# every example in order, the SQL ones in one psql session (80 columns,
# no psqlrc), the shell ones with PGHOST, PGPORT, PGDATABASE and PGDATA
# naming that server.  The pages show the role postgres, Debian's: the
# suite runs as that operating system user, as test/run does.
#
# Blocks: ```sql and ```sh are examples, ```ini is configuration; a bare
# ``` opening on the line after an example's closing fence is what it
# prints.  Markers are HTML comments on the lines before a block
# (invisible once rendered):
#   <!-- doc: conf -->         this ini block goes into postgresql.conf
#                              before the server starts (so before the
#                              page's first example; later, ALTER SYSTEM)
#   <!-- doc: wait QUERY -->   before the block, run QUERY in the session
#                              until it returns true (its output is not
#                              shown); a live example waits for its
#                              condition, never for a time
#   <!-- doc: run -->          a shell example that must succeed; what it
#                              prints is not shown
#   <!-- doc: background -->   a shell example started alongside the next
#                              ones (a pgbench burst); it must end well
#   <!-- doc: skip REASON -->  not run, and why (it needs root, another
#                              machine, or a package the test lacks)
# In an output block, the visible mask … stands for what must vary (times,
# pids, ports, durations, and the numbers of a live burst): any text on
# its line, or alone on a line any number of lines; where a mask is, runs
# of blanks and dashes count as one, since psql widens a column to its
# widest value.  Trailing blanks and blank lines at either end are ignored.
#
# A page fails when an SQL example shows no output, a shell example shows
# none and is not marked, an output block follows no example, a block is
# in another language unmarked, or a marker is unknown; the suite fails
# when it compares no example at all.  AS_DOCS_PAGES="README.md
# docs/pause.md" runs only those pages.
use strict;
use warnings;
use utf8;
use FindBin;
use lib $FindBin::RealBin;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Encode qw(decode encode);
use DocTest;

# Test::More prints bytes: the pages' text is encoded for it
sub u { return encode('UTF-8', shift); }

sub read_page
{
	my ($path) = @_;
	open(my $fh, '<', $path) or die "$path: $!";
	local $/;
	my $text = decode('UTF-8', <$fh>);
	close $fh;
	return DocTest::parse_page($path, $text);
}

# -- the harness itself: what it must refuse, and how it compares

my $bad = DocTest::parse_page('bad.md', join("\n",
	'```sql', 'SELECT 1;', '```', '',
	'```sh', 'ls', '```', '',
	'```', 'orphan', '```', '',
	'```json', '{}', '```', '',
	'<!-- doc: sometimes -->', '```sql', 'SELECT 2;', '```', '```', '2', '```', '',
	'```sql', 'SELECT 3;', '```', '', '```', '3', '```', ''));
my $errors = join("\n", @{ $bad->{errors} });
like($errors, qr/bad\.md:1: this SQL example has no output block/,
	'the harness refuses an SQL example without its output');
like($errors, qr/bad\.md:5: this shell example has no output block/,
	'and a shell example that shows no output and is not marked');
like($errors, qr/bad\.md:9: an output block that follows no example/,
	'and an output block that follows no example');
like($errors, qr/bad\.md:13: a block in "json" is not an example/,
	'and a block in another language, unmarked');
like($errors, qr/bad\.md:17: unknown marker "sometimes"/, 'and an unknown marker');
ok($errors =~ /bad\.md:25: this SQL example has no output block/
	  && $errors =~ /bad\.md:29: an output block that follows no example/,
	'an output block belongs to the example right above it, with no line between');
my $none = DocTest::parse_page('none.md', "# Nothing to run\n\nText only.\n");
is(scalar(DocTest::runnable($none)), 0, 'a page of text has no example to run');

my $table = " state  | acu \n--------+-----\n active | 0.5\n(1 row)\n";
ok(DocTest::matches($table, "$table\n"), 'the same output matches');
ok(!DocTest::matches($table, $table =~ s/0\.5/1/r), 'another value does not');
ok(DocTest::matches(" state  | acu \n--------+-----\n active | …\n(1 row)",
	" state  | acu  \n--------+------\n active | 12.5\n(1 row)"),
	'a mask matches a value of another width');
ok(!DocTest::matches(" state  | acu \n--------+-----\n active | …\n(1 row)",
	" state  | acu \n--------+-----\n paused | 0\n(1 row)"),
	'but not a change elsewhere on its line');
ok(DocTest::matches("paused_since | …\nstate | paused", "paused_since |\nstate | paused"),
	'a mask ending a line stands for an empty value too');
ok(DocTest::matches("a\n…\nz", "a\nb\nc\nz") && DocTest::matches("a\n…\nz", "a\nz"),
	'a masked line stands for any number of lines');

# -- the pages

my $readme = read_page('README.md');
# AS_DOCS_PAGES names the pages to run (all of them by default)
my %only = map { $_ => 1 } split ' ', ($ENV{AS_DOCS_PAGES} // '');
my @pages = grep { !%only || $only{ $_->{name} } }
  ($readme, map { read_page($_) } sort glob('docs/*.md'));
my ($readme_conf) = DocTest::conf_lines($readme);
my ($compared, $ran, $skipped) = (0, 0, 0);

foreach my $page (@pages)
{
	ok(!@{ $page->{errors} }, "$page->{name}: every block is an example with what it needs, or says why not")
	  or diag(u(join("\n", @{ $page->{errors} })));
	foreach my $ex (@{ $page->{examples} })
	{
		next unless exists $ex->{markers}{skip};
		$skipped++;
		note(u("$page->{name}:$ex->{line}: not run: $ex->{markers}{skip}"));
	}
	next if @{ $page->{errors} } || !DocTest::runnable($page);
	my @results = $page == $readme
	  ? DocTest::run_page($page)
	  : DocTest::run_page($page, conf => $readme_conf, create_extension => 1);
	foreach my $r (@results)
	{
		ok($r->{ok}, u($r->{what})) or diag(u($r->{diag}));
		$ran++;
		$compared++ if $r->{what} =~ /prints what the page shows$/;
	}
}
cmp_ok($compared, '>', 0, "examples compared with their pages: $compared ($ran run, $skipped not run)");

# -- a page whose output no longer matches fails

my $stale = DocTest::parse_page('stale.md', join("\n",
	'<!-- doc: wait SELECT true -->', '```sql', 'SELECT aurora_serverless.max_connections_for(16);', '```',
	'```', ' max_connections_for ', '---------------------', '                1999', '(1 row)', '```', ''));
my @stale = DocTest::run_page($stale, conf => $readme_conf, create_extension => 1);
is(join(',', map { $_->{ok} } @stale), '0', 'an output that differs from its page fails');
like($stale[0]{diag}, qr/1999.*it printed:.*3360/s, 'and the failure shows both');

done_testing();
